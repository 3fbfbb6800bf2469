using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TenantEmulator;

/// <summary>
/// An injected fault: answer the next <see cref="Remaining"/> requests that match with
/// <see cref="Status"/> (429 or 503 with Retry-After, 403 as when the caller lacks a permission, or
/// 401 as for an expired token), drop their connection, or ("otherWriter", PATCHes of an application
/// only) let another client write its own copy of the collections right after the request: see
/// <see cref="OtherWriter"/>.
/// </summary>
public sealed class Fault
{
    public const string OtherWriterKind = "otherWriter";

    public required string Id { get; init; }
    public required string Kind { get; init; }          // "status", "drop" or "otherWriter"
    public string? Method { get; init; }                // null: any method
    public required string Path { get; init; }          // '*' matches any run of characters, '/' included
    public int Status { get; init; }
    public int RetryAfterSeconds { get; init; }
    public int Remaining { get; set; }
    public required Regex Pattern { get; init; }

    /// <summary>otherWriter: entries the other writer adds, by collection name (validated when the fault is added).</summary>
    public JsonObject Add { get; init; } = new();

    /// <summary>otherWriter: what it removes: keyCredentials by keyId, requiredResourceAccess by permission id.</summary>
    public JsonObject Remove { get; init; } = new();

    /// <summary>How the request log names the fault.</summary>
    public string Name => Kind == "status" ? Status.ToString() : Kind;

    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["kind"] = Kind, ["method"] = Method, ["path"] = Path,
        ["status"] = Kind == "status" ? Status : null,
        ["retryAfterSeconds"] = Kind == "status" ? RetryAfterSeconds : null,
        ["remaining"] = Remaining,
        ["add"] = Kind == OtherWriterKind ? Add.DeepClone() : null,
        ["remove"] = Kind == OtherWriterKind ? Remove.DeepClone() : null,
    };

    /// <summary>Reads a fault from the control API's JSON; throws ArgumentException with the reason.</summary>
    public static Fault Parse(JsonObject json)
    {
        var kind = (string?)json["kind"] ?? "status";
        if (kind is not ("status" or "drop" or OtherWriterKind)) throw new ArgumentException("kind must be 'status', 'drop' or 'otherWriter'");
        var method = ((string?)json["method"])?.ToUpperInvariant();
        if (kind == OtherWriterKind && method is not (null or "PATCH")) throw new ArgumentException("an otherWriter fault matches PATCH requests only");
        if (kind == OtherWriterKind) method = "PATCH";
        var add = json["add"] is null ? new JsonObject() : json["add"] as JsonObject ?? throw new ArgumentException("add must be an object");
        var remove = json["remove"] is null ? new JsonObject() : json["remove"] as JsonObject ?? throw new ArgumentException("remove must be an object");
        if (kind == OtherWriterKind) OtherWriter.Check(add, remove);
        var path = (string?)json["path"] ?? throw new ArgumentException("path is required");
        var count = json["count"] is null ? 1 : (int)json["count"]!;
        if (count < 1) throw new ArgumentException("count must be at least 1");
        var status = json["status"] is null ? 429 : (int)json["status"]!;
        if (kind == "status" && status is not (429 or 503 or 403 or 401)) throw new ArgumentException("status must be 429, 503, 403 or 401");
        var retryAfter = json["retryAfterSeconds"] is null ? 1 : (int)json["retryAfterSeconds"]!;
        if (retryAfter < 0) throw new ArgumentException("retryAfterSeconds must not be negative");
        var pattern = "^" + Regex.Escape(path).Replace("\\*", ".*") + "$";
        return new Fault
        {
            Id = Guid.NewGuid().ToString(), Kind = kind, Method = method, Add = (JsonObject)add.DeepClone(), Remove = (JsonObject)remove.DeepClone(),
            Path = path, Status = status, RetryAfterSeconds = retryAfter, Remaining = count,
            Pattern = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        };
    }
}

public sealed class FaultSet
{
    private readonly object gate = new();
    private readonly List<Fault> faults = new();

    public void Add(Fault fault)
    {
        lock (gate) faults.Add(fault);
    }

    /// <summary>The first fault matching this request, used up by one; null when none matches.</summary>
    public Fault? Take(string method, string path)
    {
        lock (gate)
        {
            var fault = faults.FirstOrDefault(f =>
                (f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)) && f.Pattern.IsMatch(path));
            if (fault is null) return null;
            if (--fault.Remaining == 0) faults.Remove(fault);
            return fault;
        }
    }

    public JsonArray ToJson()
    {
        lock (gate) return new JsonArray(faults.Select(f => (JsonNode)f.ToJson()).ToArray());
    }

    public void Clear()
    {
        lock (gate) faults.Clear();
    }
}
