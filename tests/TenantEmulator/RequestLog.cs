using System.Text.Json.Serialization;

namespace TenantEmulator;

/// <summary>One request as the emulator saw it. Never holds the token or any header.</summary>
public sealed record RequestLogEntry(
    long Sequence,
    string Method,
    string Path,
    string Query,
    int Status,
    bool InBatch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? BatchSequence,
    DateTime Time,
    int LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Fault,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);

/// <summary>
/// Every /v1.0, /adminapi (and unknown) request, and every request inside a $batch. Sequence
/// numbers are taken when a request arrives; entries are added when it completes, so the log is
/// returned ordered by sequence (a $batch envelope comes before its inner requests).
/// </summary>
public sealed class RequestLog
{
    private readonly object gate = new();
    private readonly List<RequestLogEntry> entries = new();
    private long sequence;

    public long NextSequence() => Interlocked.Increment(ref sequence);

    public void Add(RequestLogEntry entry)
    {
        lock (gate) entries.Add(entry);
    }

    public IReadOnlyList<RequestLogEntry> Entries()
    {
        lock (gate) return entries.OrderBy(e => e.Sequence).ToList();
    }

    public void Clear()
    {
        lock (gate) entries.Clear();
    }
}
