using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TenantEmulator;

/// <summary>
/// An injected fault: answer the next <see cref="Remaining"/> requests that match with
/// <see cref="Status"/> (429 or 503 with Retry-After, 403 as when the caller lacks a permission, or
/// 401 as for an expired token),
/// or drop their connection.
/// </summary>
public sealed class Fault
{
    public required string Id { get; init; }
    public required string Kind { get; init; }          // "status" or "drop"
    public string? Method { get; init; }                // null: any method
    public required string Path { get; init; }          // '*' matches any run of characters, '/' included
    public int Status { get; init; }
    public int RetryAfterSeconds { get; init; }
    public int Remaining { get; set; }
    public required Regex Pattern { get; init; }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["kind"] = Kind, ["method"] = Method, ["path"] = Path,
        ["status"] = Kind == "drop" ? null : Status,
        ["retryAfterSeconds"] = Kind == "drop" ? null : RetryAfterSeconds,
        ["remaining"] = Remaining,
    };

    /// <summary>Reads a fault from the control API's JSON; throws ArgumentException with the reason.</summary>
    public static Fault Parse(JsonObject json)
    {
        var kind = (string?)json["kind"] ?? "status";
        if (kind is not ("status" or "drop")) throw new ArgumentException("kind must be 'status' or 'drop'");
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
            Id = Guid.NewGuid().ToString(), Kind = kind, Method = ((string?)json["method"])?.ToUpperInvariant(),
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
