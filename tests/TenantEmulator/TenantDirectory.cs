using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// The tenants one emulator serves: the primary (seeded from --tenant) and any added with
/// POST /_emulator/tenants, each an <see cref="EmulatorStore"/> of its own (state, faults, latency,
/// replication, request log). Which tenant a request reaches, as in the real services:
/// - Graph (/v1.0): the tenant its access token names (claim tid; access token claims reference).
///   A token without tid, or any token while only the primary is served, reaches the primary, so
///   single-tenant tests and opaque fake tokens keep working. Once other tenants are served, a tid
///   that names none of them is refused (401 InvalidAuthenticationToken), so no tenant's token
///   reaches another tenant's state.
/// - Exchange (/adminapi/beta/{organization}/...): the tenant that organization names (a domain
///   or the tenant id), which is what Connect-ExchangeOnline -DelegatedOrganization sends.
/// - Control (/_emulator/*): ?tenant=&lt;tenant id or domain&gt;, the primary without it.
/// </summary>
public sealed class TenantDirectory
{
    public const string StoreKey = "emulator.store";
    private readonly ConcurrentDictionary<string, EmulatorStore> _others = new(StringComparer.OrdinalIgnoreCase);

    public TenantDirectory(EmulatorStore primary)
    {
        Primary = primary;
    }

    public EmulatorStore Primary { get; }

    public bool ServesOthers => !_others.IsEmpty;

    /// <summary>Adds (or replaces) a tenant by its tenantId; returns its store.</summary>
    public EmulatorStore Add(JsonObject state)
    {
        var id = (string?)state["tenantId"];
        if (id is null || !Guid.TryParse(id, out _)) throw new ArgumentException("A tenant needs a tenantId (a GUID).");
        if (string.Equals(id, TenantIdOf(Primary), StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"{id} is the primary tenant.");
        var store = new EmulatorStore(state);
        _others[id] = store;
        return store;
    }

    public IEnumerable<(string TenantId, EmulatorStore Store)> All() =>
        new[] { (TenantIdOf(Primary) ?? "", Primary) }.Concat(_others.Select(o => (o.Key, o.Value)));

    /// <summary>The tenant with this id or domain (any of its domains), or null.</summary>
    public EmulatorStore? Find(string? idOrDomain)
    {
        if (string.IsNullOrEmpty(idOrDomain)) return null;
        if (_others.TryGetValue(idOrDomain, out var byId)) return byId;
        if (Names(Primary).Contains(idOrDomain, StringComparer.OrdinalIgnoreCase)) return Primary;
        return _others.Values.FirstOrDefault(s => Names(s).Contains(idOrDomain, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The tenant a request reaches; null when it names one the emulator does not serve.</summary>
    public EmulatorStore? Resolve(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
        {
            var tenant = context.Request.Query["tenant"].FirstOrDefault();
            return string.IsNullOrEmpty(tenant) ? Primary : Find(tenant);
        }
        if (path.StartsWith("/adminapi/beta/", StringComparison.OrdinalIgnoreCase))
        {
            var organization = path["/adminapi/beta/".Length..].Split('/')[0];
            // An organization no tenant has: the primary answers it, as today ("couldn't be found").
            return Find(Uri.UnescapeDataString(organization)) ?? Primary;
        }
        var tid = BearerToken.Read(context)?.TenantId;
        if (tid is null || !ServesOthers) return Primary;
        return Find(tid);
    }

    /// <summary>The store the pipeline chose for this request.</summary>
    public static EmulatorStore Of(HttpContext context) =>
        context.Items[StoreKey] as EmulatorStore ?? throw new InvalidOperationException("No tenant was chosen for this request.");

    public static string? TenantIdOf(EmulatorStore store)
    {
        lock (store.Gate) return (string?)store.State["tenantId"];
    }

    /// <summary>The tenant's initial *.onmicrosoft.com domain, or null.</summary>
    public static string? InitialDomainOf(EmulatorStore store)
    {
        lock (store.Gate)
            return (string?)store.Collection("domains").OfType<JsonObject>().FirstOrDefault(d => d["isInitial"]?.GetValue<bool>() == true)?["id"];
    }

    private static List<string> Names(EmulatorStore store)
    {
        lock (store.Gate)
        {
            var names = store.Collection("domains").OfType<JsonObject>().Select(d => (string?)d["id"]).OfType<string>().ToList();
            if ((string?)store.State["tenantId"] is { } id) names.Add(id);
            return names;
        }
    }
}
