using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// The tenant's whole state, kept as Graph-shaped JSON so that what a test seeds, what the
/// emulator serves and what a test reads back are the same documents. Every read or write of
/// <see cref="State"/> happens under <see cref="Gate"/>.
/// </summary>
public sealed class EmulatorStore
{
    public object Gate { get; } = new();

    /// <summary>The tenant (schema: tenants/README.md). Touch only while holding <see cref="Gate"/>.</summary>
    public JsonObject State { get; private set; }

    public EmulatorStore(JsonObject state)
    {
        State = Normalize(state);
    }

    public static EmulatorStore FromFile(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{path} does not hold a JSON object"));

    public void Replace(JsonObject state)
    {
        lock (Gate) State = Normalize(state);
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
