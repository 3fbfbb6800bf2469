namespace TenantEmulator;

/// <summary>
/// What every request goes through before any API sees it: request-id headers, the Bearer check,
/// the fixed latency, injected faults, and the request log. Control requests (/_emulator/*) get
/// the ids only: they need no token, are never faulted or delayed, and are not logged, so that a
/// test reading the log sees only what the module under test sent.
/// </summary>
public static class EmulatorPipeline
{
    public const string DetailKey = "emulator.detail";       // set by an API to annotate its log entry
    public const string RequestIdKey = "emulator.request-id";
    public const string ClientRequestIdKey = "emulator.client-request-id";
    public const string SequenceKey = "emulator.sequence";
    public const string OtherWriterKey = "emulator.other-writer"; // an "otherWriter" fault for the Graph API to act on

    public static (string RequestId, string ClientRequestId) Ids(HttpContext context) =>
        ((string?)context.Items[RequestIdKey] ?? Guid.NewGuid().ToString(),
         (string?)context.Items[ClientRequestIdKey] ?? "");

    /// <summary>Paths that need a token and can be faulted or delayed: the emulated services.</summary>
    public static bool IsServicePath(string path) =>
        path.StartsWith("/v1.0", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWith("/adminapi", StringComparison.OrdinalIgnoreCase);

    public static void Use(WebApplication app, TenantDirectory tenants)
    {
        app.Use(async (context, next) =>
        {
            // Graph answers with its own request-id and echoes client-request-id (or repeats its
            // own id when the client sent none).
            var requestId = Guid.NewGuid().ToString();
            string clientRequestId = context.Request.Headers["client-request-id"].FirstOrDefault() is { Length: > 0 } sent ? sent : requestId;
            context.Items[RequestIdKey] = requestId;
            context.Items[ClientRequestIdKey] = clientRequestId;
            context.Response.Headers["request-id"] = requestId;
            context.Response.Headers["client-request-id"] = clientRequestId;

            var path = context.Request.Path.Value ?? "/";
            // The tenant the request reaches (TenantDirectory): its state, faults, latency and log.
            var store = tenants.Resolve(context);
            if (store is null)
            {
                if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
                    await GraphErrors.WriteAsync(context, 404, "UnknownTenant", $"The emulator serves no tenant '{context.Request.Query["tenant"]}'.");
                else
                    // A token issued for a tenant this emulator does not serve: Graph refuses it.
                    await GraphErrors.WriteAsync(context, 401, "InvalidAuthenticationToken", "The token's tenant (tid) is not a tenant of this service.");
                return;
            }
            context.Items[TenantDirectory.StoreKey] = store;
            if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var sequence = store.Log.NextSequence();
            context.Items[SequenceKey] = sequence;
            var time = DateTime.UtcNow;
            var method = context.Request.Method.ToUpperInvariant();
            int latency = 0;
            string? faultName = null;
            var service = IsServicePath(path);
            try
            {
                if (service && !HasBearerToken(context))
                {
                    await GraphErrors.WriteAsync(context, 401, "InvalidAuthenticationToken", "Access token is empty.");
                    return;
                }
                // Graph refuses an expired token with 401 (concepts/errors.md: "missing, invalid or
                // expired"); Entra allows 5 minutes of clock skew.
                if (service && BearerToken.Read(context)?.ExpiresOn is { } expires && expires < DateTimeOffset.UtcNow.AddMinutes(-5))
                {
                    await GraphErrors.WriteAsync(context, 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
                    return;
                }
                if (service)
                {
                    latency = store.LatencyMilliseconds;
                    if (latency > 0) await Task.Delay(latency);
                    var fault = store.Faults.Take(method, path);
                    if (fault is { Kind: "drop" })
                    {
                        // Logged before the abort, so a client that sees the reset finds it in the log.
                        faultName = "drop";
                        Log(0);
                        context.Abort();
                        return;
                    }
                    if (fault is { Kind: Fault.OtherWriterKind })
                    {
                        // Not an answer of its own: the request is served, then the other client writes.
                        faultName = fault.Name;
                        context.Items[OtherWriterKey] = fault;
                    }
                    else if (fault is not null)
                    {
                        faultName = fault.Name;
                        await WriteFaultAsync(context, fault);
                        return;
                    }
                }
                try
                {
                    await next(context);
                }
                catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    await GraphErrors.WriteAsync(context, 500, "generalException", $"Emulator failure: {ex.GetType().Name}: {ex.Message}");
                }
            }
            finally
            {
                if (faultName != "drop") Log(context.Response.StatusCode);
            }

            void Log(int status) =>
                store.Log.Add(new RequestLogEntry(sequence, method, path, QueryText(context.Request.QueryString.Value), status,
                    InBatch: false, BatchSequence: null, time, latency, faultName, context.Items[DetailKey] as string));
        });
    }

    public static Task WriteFaultAsync(HttpContext context, Fault fault)
    {
        var (requestId, clientRequestId) = Ids(context);
        return GraphErrors.WriteAsync(context, FaultResponse(fault, requestId, clientRequestId));
    }

    public static GraphResponse FaultResponse(Fault fault, string requestId, string clientRequestId)
    {
        if (fault.Status == 401)
        {
            // What Graph answers when the token is invalid or expired (concepts/errors.md).
            return GraphResponse.Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", requestId, clientRequestId);
        }
        if (fault.Status == 403)
        {
            // What Graph answers when the token lacks the permission the call needs.
            return GraphResponse.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", requestId, clientRequestId);
        }
        var response = fault.Status == 429
            ? GraphResponse.Error(429, "TooManyRequests", "Too many requests. (fault injected by the emulator)", requestId, clientRequestId)
            : GraphResponse.Error(503, "serviceNotAvailable", "The service is not available. (fault injected by the emulator)", requestId, clientRequestId);
        response.Headers["Retry-After"] = fault.RetryAfterSeconds.ToString();
        return response;
    }

    private static bool HasBearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        return header is not null
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && header["Bearer ".Length..].Trim().Length > 0;
    }

    /// <summary>The query string as a reader wants it: decoded, without the leading '?'.</summary>
    public static string QueryText(string? raw) =>
        string.IsNullOrEmpty(raw) ? "" : Uri.UnescapeDataString(raw.TrimStart('?').Replace('+', ' '));
}
