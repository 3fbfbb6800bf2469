using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TenantEmulator;

/// <summary>
/// /v1.0/*: one catch-all endpoint that turns the HTTP request into a <see cref="GraphRequest"/>
/// and hands it to <see cref="Dispatch"/>, the same entry point $batch uses for its inner requests.
/// </summary>
public static partial class GraphApi
{
    public static void Map(WebApplication app)
    {
        app.Map("/v1.0/{**rest}", async context =>
        {
            var store = TenantDirectory.Of(context);
            var (requestId, clientRequestId) = EmulatorPipeline.Ids(context);
            var path = (context.Request.Path.Value ?? "")["/v1.0".Length..];
            JsonNode? body;
            try
            {
                body = await ReadBodyAsync(context.Request);
            }
            catch (JsonException)
            {
                await GraphErrors.WriteAsync(context, 400, "BadRequest",
                    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
                return;
            }
            var request = new GraphRequest(
                context.Request.Method.ToUpperInvariant(), path,
                context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body, $"{context.Request.Scheme}://{context.Request.Host}", requestId, clientRequestId, BearerToken.Read(context));

            if (IsBatchPath(path))
            {
                await Batch.HandleAsync(context, store, request);
                return;
            }
            var otherWriter = context.Items[EmulatorPipeline.OtherWriterKey] as Fault;
            await GraphErrors.WriteAsync(context, await DispatchAsync(store, request with { OtherWriter = otherWriter }));
        });
    }

    public static bool IsBatchPath(string path) => path.Trim('/').Equals("$batch", StringComparison.OrdinalIgnoreCase);

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    /// <summary>
    /// <see cref="Dispatch"/>, taking the time Graph takes inside the service when the interleave
    /// switch is on: a read of applications answers that long after it read, a write to one lands
    /// that long after it arrived. Concurrent runs' requests then overlap as they do against Graph,
    /// where applications have no ETag/If-Match and the last PATCH of a collection wins
    /// (Graph docs: api/application-update.md, concepts/applications-how-to-add-certificate.md).
    /// </summary>
    public static async Task<GraphResponse> DispatchAsync(EmulatorStore store, GraphRequest request)
    {
        var interleave = store.InterleaveMilliseconds;
        var applications = interleave > 0 && request.Path.TrimStart('/').StartsWith("applications", StringComparison.OrdinalIgnoreCase);
        if (applications && request.Method != "GET") await Task.Delay(interleave);
        var response = Dispatch(store, request);
        if (applications && request.Method == "GET") await Task.Delay(interleave);
        return response;
    }

    /// <summary>Runs one Graph request against the tenant; never throws for a Graph-level failure.</summary>
    public static GraphResponse Dispatch(EmulatorStore store, GraphRequest request)
    {
        if (GraphPermissions.Deny(request) is { } denied) return denied;
        try
        {
            lock (store.Gate) return Route(store, request);
        }
        catch (GraphException e)
        {
            return GraphResponse.Error(e.Status, e.Code, e.Message, request.RequestId, request.ClientRequestId);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            // A body of the wrong shape (e.g. a number where a string belongs) that slipped past a
            // check: a 400 for this request alone, so one bad request cannot fail a whole batch.
            return GraphResponse.Error(400, "BadRequest", $"Invalid request body: {e.Message}", request.RequestId, request.ClientRequestId);
        }
    }

    private static GraphResponse Route(EmulatorStore store, GraphRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0) throw new GraphException(400, "BadRequest", "Invalid request.");
        var first = EntitySegment().Match(segments[0]);
        if (!first.Success) throw UnknownSegment(segments[0]);
        var set = first.Groups[1].Value;
        EntityKey? key = null;
        var rest = segments.Skip(1).ToArray();
        if (first.Groups[2].Success)
        {
            if (!first.Groups[2].Value.Equals("appId", StringComparison.OrdinalIgnoreCase))
                throw GraphException.BadRequest($"'{first.Groups[2].Value}' is not an alternate key of '{set}'.");
            key = new EntityKey(null, first.Groups[3].Value.Replace("''", "'"));
        }
        else if (rest.Length > 0)
        {
            key = new EntityKey(rest[0], null);
            rest = rest[1..];
        }
        ODataQuery.RejectUnknownOptions(request);

        if (set.Equals("applications", StringComparison.OrdinalIgnoreCase)) return Applications.Handle(store, request, key, rest);
        if (set.Equals("servicePrincipals", StringComparison.OrdinalIgnoreCase)) return ServicePrincipals.Handle(store, request, key, rest);
        if (key?.AppId is not null) throw UnknownSegment(segments[0]);
        if (set.Equals("domains", StringComparison.OrdinalIgnoreCase)) return Directory.Domains(store, request, key?.Id, rest);
        if (set.Equals("organization", StringComparison.OrdinalIgnoreCase)) return Directory.Organization(store, request, key?.Id, rest);
        if (set.Equals("policies", StringComparison.OrdinalIgnoreCase)) return PasswordCredentials.Policies(store, request, key?.Id, rest);
        throw UnknownSegment(segments[0]);
    }

    // "applications", "applications(appId='...')"
    [GeneratedRegex(@"^([A-Za-z$]+)(?:\((\w+)='((?:[^']|'')*)'\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex EntitySegment();

    public static GraphException UnknownSegment(string segment) =>
        new(400, "BadRequest", $"Resource not found for the segment '{segment}'.");

    public static GraphException MethodNotAllowed() =>
        new(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

    /// <summary>Directory object ids are GUIDs; anything else is a 400 before any lookup, as in Graph.</summary>
    public static void RequireObjectId(string id)
    {
        if (!Guid.TryParse(id, out _)) throw GraphException.BadRequest($"Invalid object identifier '{id}'.");
    }

    public static JsonObject? FindBy(JsonArray collection, string property, string value) =>
        collection.OfType<JsonObject>().FirstOrDefault(o => string.Equals((string?)o[property], value, StringComparison.OrdinalIgnoreCase));

    public static JsonObject RequireBodyObject(GraphRequest request) =>
        request.Body as JsonObject ?? throw new GraphException(400, "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
}

/// <summary>How a URL named one object: by object id or by the appId alternate key.</summary>
public sealed record EntityKey(string? Id, string? AppId)
{
    public override string ToString() => Id ?? $"appId='{AppId}'";
}
