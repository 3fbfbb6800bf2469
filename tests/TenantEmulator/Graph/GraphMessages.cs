using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// One Graph request, whether it came over HTTP or from inside a $batch, so that both go through
/// the very same handlers. <see cref="Path"/> is relative to /v1.0 (e.g. "/applications").
/// </summary>
public sealed record GraphRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Body,
    string BaseUrl,
    string RequestId,
    string ClientRequestId,
    BearerToken? Caller = null)
{
    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) ? v : null;

    /// <summary>An "otherWriter" fault that matched this request: another client writes right after it.</summary>
    public Fault? OtherWriter { get; init; }
}

public sealed class GraphResponse
{
    public int Status { get; init; }
    public JsonNode? Body { get; init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static GraphResponse Ok(JsonNode body, int status = 200) => new() { Status = status, Body = body };
    public static GraphResponse NoContent() => new() { Status = 204 };

    public static GraphResponse Error(int status, string code, string message, string requestId, string clientRequestId) =>
        new() { Status = status, Body = GraphErrors.Body(code, message, requestId, clientRequestId) };
}

/// <summary>Thrown by handlers; turned into Graph's error body by the dispatcher.</summary>
public sealed class GraphException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static GraphException NotFound(string id) => new(404, "Request_ResourceNotFound",
        $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphException BadRequest(string message) => new(400, "Request_BadRequest", message);
}

/// <summary>Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
public static class GraphErrors
{
    /// <summary>How answers are written: quotes and non-ASCII as themselves, like Graph, not as \u escapes.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Wire = new(EmulatorStore.Json)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public const string JsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static JsonObject Body(string code, string message, string requestId, string clientRequestId) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss"),
                ["request-id"] = requestId,
                ["client-request-id"] = clientRequestId,
            },
        },
    };

    /// <summary>Writes an error to an HTTP response, with the request-id the pipeline assigned.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message, int? retryAfterSeconds = null)
    {
        var (requestId, clientRequestId) = EmulatorPipeline.Ids(context);
        context.Response.StatusCode = status;
        if (retryAfterSeconds is int seconds) context.Response.Headers.RetryAfter = seconds.ToString();
        context.Response.ContentType = JsonContentType;
        return context.Response.WriteAsync(Body(code, message, requestId, clientRequestId).ToJsonString(Wire));
    }

    public static Task WriteAsync(HttpContext context, GraphResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers) context.Response.Headers[name] = value;
        if (response.Body is null) return Task.CompletedTask;
        context.Response.ContentType = JsonContentType;
        return context.Response.WriteAsync(response.Body.ToJsonString(GraphErrors.Wire));
    }
}
