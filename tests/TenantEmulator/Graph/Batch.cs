using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace TenantEmulator;

/// <summary>
/// POST /v1.0/$batch (JSON batching). Each inner request goes through <see cref="GraphApi.Dispatch"/>
/// like a direct one, is faulted and logged on its own (flagged inBatch), and gets its own status.
/// Inner requests run in array order, but the responses come back in REVERSE order: Graph documents
/// that their order may differ, so a client must correlate them by id.
/// </summary>
public static class Batch
{
    public const int MaxRequests = 20;

    private sealed record Inner(string Id, string Method, string Path, string QueryText, JsonNode? Body, string[] DependsOn, string? ClientRequestId);

    public static async Task HandleAsync(HttpContext context, EmulatorStore store, GraphRequest envelope)
    {
        if (envelope.Method != "POST")
        {
            await GraphErrors.WriteAsync(context, 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
            return;
        }
        List<Inner> requests;
        try
        {
            requests = Parse(envelope.Body);
        }
        catch (GraphException e)
        {
            await GraphErrors.WriteAsync(context, e.Status, e.Code, e.Message);
            return;
        }

        var envelopeSequence = context.Items[EmulatorPipeline.SequenceKey] as long?;
        var statuses = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var responses = new List<JsonObject>();
        foreach (var inner in requests)
        {
            var requestId = Guid.NewGuid().ToString();
            var clientRequestId = inner.ClientRequestId ?? envelope.ClientRequestId;
            GraphResponse response;
            if (inner.DependsOn.Any(d => statuses[d] >= 400))
            {
                // Not executed, so not logged: the service never saw it.
                response = GraphResponse.Error(424, "FailedDependency", "The request could not be executed because a request it depends on failed.", requestId, clientRequestId);
            }
            else
            {
                var sequence = store.Log.NextSequence();
                var time = DateTime.UtcNow;
                var fullPath = "/v1.0" + inner.Path;
                var fault = store.Faults.Take(inner.Method, fullPath);
                if (fault is { Kind: "drop" })
                {
                    // A dropped connection takes the whole batch with it; what ran before stays done.
                    Log(store, inner, fullPath, 0, sequence, envelopeSequence, time, "drop");
                    context.Abort();
                    return;
                }
                if (fault is not null && fault.Kind != Fault.OtherWriterKind) response = EmulatorPipeline.FaultResponse(fault, requestId, clientRequestId);
                else if (GraphApi.IsBatchPath(inner.Path))
                    response = GraphResponse.Error(400, "BadRequest", "A batch request cannot be nested in a batch.", requestId, clientRequestId);
                else
                {
                    var query = QueryHelpers.ParseQuery(inner.QueryText)
                        .ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                    response = await GraphApi.DispatchAsync(store, new GraphRequest(inner.Method, inner.Path, query, inner.Body, envelope.BaseUrl, requestId, clientRequestId, envelope.Caller)
                        { OtherWriter = fault?.Kind == Fault.OtherWriterKind ? fault : null });
                }
                Log(store, inner, fullPath, response.Status, sequence, envelopeSequence, time, fault?.Name);
            }
            statuses[inner.Id] = response.Status;
            responses.Add(ToJson(inner.Id, response));
        }
        responses.Reverse();
        await GraphErrors.WriteAsync(context, GraphResponse.Ok(new JsonObject
        {
            ["responses"] = new JsonArray(responses.Select(r => (JsonNode)r).ToArray()),
        }));
    }

    private static void Log(EmulatorStore store, Inner inner, string fullPath, int status, long sequence, long? envelopeSequence, DateTime time, string? fault) =>
        store.Log.Add(new RequestLogEntry(sequence, inner.Method, fullPath, EmulatorPipeline.QueryText(inner.QueryText), status,
            InBatch: true, BatchSequence: envelopeSequence, time, LatencyMs: 0, fault, Detail: null));

    private static JsonObject ToJson(string id, GraphResponse response)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in response.Headers) headers[name] = value;
        if (response.Body is not null) headers["Content-Type"] = GraphErrors.JsonContentType;
        var json = new JsonObject { ["id"] = id, ["status"] = response.Status, ["headers"] = headers };
        if (response.Body is not null) json["body"] = response.Body.DeepClone();
        return json;
    }

    /// <summary>The whole batch is refused (400) when its envelope is malformed, as Graph does.</summary>
    private static List<Inner> Parse(JsonNode? body)
    {
        if (body is not JsonObject envelope || envelope["requests"] is not JsonArray requests)
            throw new GraphException(400, "BadRequest", "Invalid batch payload format.");
        if (requests.Count == 0) throw new GraphException(400, "BadRequest", "Invalid batch payload format: no requests.");
        if (requests.Count > MaxRequests)
            throw new GraphException(400, "BadRequest", $"The number of requests in a batch must not exceed {MaxRequests}.");

        var result = new List<Inner>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in requests)
        {
            if (node is not JsonObject request) throw new GraphException(400, "BadRequest", "Invalid batch payload format.");
            var id = Text(request["id"]);
            var method = Text(request["method"])?.ToUpperInvariant();
            var url = Text(request["url"]);
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(method) || string.IsNullOrEmpty(url))
                throw new GraphException(400, "BadRequest", "Invalid batch payload format: each request needs id, method and url.");
            if (!seen.Add(id)) throw new GraphException(400, "BadRequest", $"Request id '{id}' is used more than once in the batch.");
            if (url.Contains("://")) throw new GraphException(400, "BadRequest", $"Request id : {id}: the url must be relative, such as /applications.");

            var headers = request["headers"] as JsonObject;
            string? Header(string name) => headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is JsonNode h ? Text(h) : null;
            var payload = request["body"];
            if (payload is not null && Header("Content-Type") is null)
                throw new GraphException(400, "BadRequest", $"Write request id : {id} does not contain Content-Type header or body.");

            var dependsOn = (request["dependsOn"] as JsonArray)?.Select(d => Text(d) ?? "").ToArray() ?? Array.Empty<string>();
            foreach (var dependency in dependsOn)
                if (!result.Any(r => r.Id.Equals(dependency, StringComparison.OrdinalIgnoreCase)))
                    throw new GraphException(400, "BadRequest", $"Request id '{id}' depends on '{dependency}', which is not an earlier request of the batch.");

            var question = url.IndexOf('?');
            var path = question < 0 ? url : url[..question];
            var query = question < 0 ? "" : url[(question + 1)..];
            if (!path.StartsWith('/')) path = "/" + path;
            result.Add(new Inner(id, method, path, query, payload?.DeepClone(), dependsOn, Header("client-request-id")));
        }
        return result;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToString();
}
