using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// The tenant's whole state, kept as Graph-shaped JSON so that what a test seeds, what the
/// emulator serves and what a test reads back are the same documents. Every read or write of
/// <see cref="State"/> happens under <see cref="Gate"/>.
/// Beside the state it holds the test knobs (request log, faults, latency, replication delay),
/// which are not part of the tenant and so never appear in <see cref="Snapshot"/>.
/// </summary>
public sealed class EmulatorStore
{
    public object Gate { get; } = new();

    /// <summary>The tenant (schema: tenants/README.md). Touch only while holding <see cref="Gate"/>.</summary>
    public JsonObject State { get; private set; }

    /// <summary>The state the emulator started with; <see cref="Reset"/> goes back to it.</summary>
    private readonly JsonObject seed;

    public RequestLog Log { get; } = new();
    public FaultSet Faults { get; } = new();

    /// <summary>Fixed delay added to every /v1.0 and /adminapi request (a $batch counts once).</summary>
    public int LatencyMilliseconds { get => Volatile.Read(ref latency); set => Volatile.Write(ref latency, value); }
    private int latency;

    /// <summary>
    /// The interleave switch: application reads answer this long after they read, application
    /// writes land this long after they arrive (GraphApi.DispatchAsync); 0 = off.
    /// </summary>
    public int InterleaveMilliseconds { get => Volatile.Read(ref interleave); set => Volatile.Write(ref interleave, value); }
    private int interleave;

    /// <summary>
    /// Replication delay: a service principal created by POST from now on stays invisible to this
    /// many reads. Under <see cref="Gate"/>.
    /// </summary>
    public int ServicePrincipalReplicationReads { get; set; }

    /// <summary>Service principal id -> reads it stays invisible for. Under <see cref="Gate"/>.</summary>
    public Dictionary<string, int> InvisibleServicePrincipals { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised (under <see cref="Gate"/>) after <see cref="Reset"/>, so other areas can clear their own knobs.</summary>
    public event Action? AfterReset;

    public EmulatorStore(JsonObject state)
    {
        State = Normalize(state);
        seed = (JsonObject)State.DeepClone();
    }

    public static EmulatorStore FromFile(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{path} does not hold a JSON object"));

    public void Replace(JsonObject state)
    {
        lock (Gate)
        {
            State = Normalize(state);
            InvisibleServicePrincipals.Clear();
        }
    }

    /// <summary>Back to the seed tenant with every knob off and an empty request log.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Replace((JsonObject)seed.DeepClone());
            ServicePrincipalReplicationReads = 0;
            LatencyMilliseconds = 0;
            InterleaveMilliseconds = 0;
            Faults.Clear();
            Log.Clear();
            AfterReset?.Invoke();
        }
    }

    public JsonObject Snapshot()
    {
        lock (Gate) return (JsonObject)State.DeepClone();
    }

    /// <summary>A top-level collection such as "applications"; created empty when missing.</summary>
    public JsonArray Collection(string name) => CollectionOf(State, name);

    /// <summary>The Exchange Online side of the tenant (service principals, role assignments).</summary>
    public JsonObject Exchange => State["exchange"] as JsonObject ?? throw new InvalidOperationException("no exchange section");

    public static JsonArray CollectionOf(JsonObject parent, string name)
    {
        if (parent[name] is JsonArray existing) return existing;
        var created = new JsonArray();
        parent[name] = created;
        return created;
    }

    private static JsonObject Normalize(JsonObject state)
    {
        foreach (var name in new[] { "domains", "applications", "servicePrincipals", "appRoleAssignments" })
            CollectionOf(state, name);
        if (state["organization"] is not JsonObject) state["organization"] = new JsonObject();
        // Graph always returns these collections on an application, empty rather than absent.
        foreach (var app in CollectionOf(state, "applications").OfType<JsonObject>())
            foreach (var name in new[] { "keyCredentials", "passwordCredentials", "requiredResourceAccess" })
                CollectionOf(app, name);
        foreach (var sp in CollectionOf(state, "servicePrincipals").OfType<JsonObject>())
            CollectionOf(sp, "appRoles");
        if (state["exchange"] is not JsonObject exchange)
        {
            exchange = new JsonObject();
            state["exchange"] = exchange;
        }
        CollectionOf(exchange, "servicePrincipals");
        CollectionOf(exchange, "roleAssignments");
        return state;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
