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

    /// <summary>
    /// Replication delay in time, as Entra ID has it: a service principal created by POST from now
    /// on is missed by reads AND refused as a reference in consent ("Not a valid reference update.")
    /// for this long; an app role assignment created meanwhile is missed by reads for as long.
    /// Zero = off. Under <see cref="Gate"/>.
    /// </summary>
    public TimeSpan ReplicationDelay { get; set; }

    /// <summary>Object id (service principal or assignment) -> the moment it has replicated. Under <see cref="Gate"/>.</summary>
    public Dictionary<string, DateTime> ReplicatingUntil { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Exchange Online's lag in seeing a service principal created by POST from now on: for this long
    /// its directory lookup (New-ServicePrincipal, or New-ManagementRoleAssignment, as the Exchange
    /// option replicationLagAt chooses) fails as not replicated. Null: the same as
    /// <see cref="ReplicationDelay"/>. Exchange's copy of the directory is a separate replica, so its
    /// lag is its own; Microsoft documents neither its length nor its error (graph-and-exchange.md:
    /// "a lag may surface at New-ManagementRoleAssignment"), so both are knobs. Under <see cref="Gate"/>.
    /// </summary>
    public TimeSpan? ExchangeReplicationDelay { get; set; }

    /// <summary>Service principal object id -> the moment Exchange sees it. Under <see cref="Gate"/>.</summary>
    public Dictionary<string, DateTime> ExchangeSeesAt { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts the replication window of an object just created, when a delay is set.</summary>
    public void StartReplication(string id)
    {
        if (ReplicationDelay > TimeSpan.Zero) ReplicatingUntil[id] = DateTime.UtcNow + ReplicationDelay;
    }

    /// <summary>Starts Exchange's window for a service principal just created, when its delay (or the shared one) is set.</summary>
    public void StartExchangeReplication(string id)
    {
        var delay = ExchangeReplicationDelay ?? ReplicationDelay;
        if (delay > TimeSpan.Zero) ExchangeSeesAt[id] = DateTime.UtcNow + delay;
    }

    /// <summary>Whether Exchange does not see the service principal yet.</summary>
    public bool IsReplicatingToExchange(string? id)
    {
        if (id is null || !ExchangeSeesAt.TryGetValue(id, out var at)) return false;
        if (DateTime.UtcNow < at) return true;
        ExchangeSeesAt.Remove(id);
        return false;
    }

    /// <summary>Whether the object is still inside its replication window.</summary>
    public bool IsReplicating(string? id)
    {
        if (id is null || !ReplicatingUntil.TryGetValue(id, out var until)) return false;
        if (DateTime.UtcNow < until) return true;
        ReplicatingUntil.Remove(id);
        return false;
    }

    /// <summary>
    /// UNCONFIRMED whether Graph refuses a PATCH that sends an EXPIRED certificate back unchanged
    /// (graph-and-exchange.md, "Certificates on an application": one field report says it does).
    /// True (the default, strict): refused with KeyCredentialsInvalidEndDate like a new expired one.
    /// False: an entry equal to one the app already holds (same keyId and key) is kept as it is.
    /// Under <see cref="Gate"/>.
    /// </summary>
    public bool RejectExpiredCertificateSentBack { get; set; } = true;

    /// <summary>Raised (under <see cref="Gate"/>) after <see cref="Reset"/>, so other areas can clear their own knobs.</summary>
    public event Action? AfterReset;

    /// <summary>This tenant's Exchange faults (POST /_emulator/exchange/faults); reset clears them.</summary>
    public ExchangeFaults ExchangeFaults { get; } = new();

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
            ReplicatingUntil.Clear();
            ExchangeSeesAt.Clear();
        }
    }

    /// <summary>Back to the seed tenant with every knob off and an empty request log.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Replace((JsonObject)seed.DeepClone());
            ServicePrincipalReplicationReads = 0;
            ReplicationDelay = TimeSpan.Zero;
            ExchangeReplicationDelay = null;
            RejectExpiredCertificateSentBack = true;
            LatencyMilliseconds = 0;
            InterleaveMilliseconds = 0;
            Faults.Clear();
            Log.Clear();
            ExchangeFaults.Clear();
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
