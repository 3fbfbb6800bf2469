using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>/domains and /organization (read only). The organization's verifiedDomains are derived from the domains.</summary>
public static class Directory
{
    private static readonly string[] DomainProperties =
    {
        "id", "authenticationType", "availabilityStatus", "isAdminManaged", "isDefault", "isInitial", "isRoot",
        "isVerified", "supportedServices", "passwordNotificationWindowInDays", "passwordValidityPeriodInDays", "state",
    };

    private static readonly string[] OrganizationProperties =
    {
        "id", "displayName", "verifiedDomains", "tenantType", "countryLetterCode", "createdDateTime", "city",
        "country", "state", "street", "postalCode", "preferredLanguage", "technicalNotificationMails", "assignedPlans",
        "businessPhones", "marketingNotificationEmails", "securityComplianceNotificationMails", "onPremisesSyncEnabled",
    };

    public static GraphResponse Domains(EmulatorStore store, GraphRequest request, string? id, string[] rest)
    {
        if (request.Method != "GET") throw GraphApi.MethodNotAllowed();
        if (rest.Length > 0) throw Applications.NotEmulated($"'{rest[0]}' on a domain");
        var domains = store.Collection("domains").OfType<JsonObject>().ToList();
        if (id is null)
        {
            ODataQuery.Filter(request, "domains");
            return ODataQuery.Collection(request, "domains", domains, ODataQuery.Select(request, "domain", domains, DomainProperties));
        }
        var domain = domains.FirstOrDefault(d => string.Equals((string?)d["id"], id, StringComparison.OrdinalIgnoreCase))
            ?? throw GraphException.NotFound(id);
        return ODataQuery.Single(request, "domains", domain, ODataQuery.Select(request, "domain", new[] { domain }, DomainProperties));
    }

    public static GraphResponse Organization(EmulatorStore store, GraphRequest request, string? id, string[] rest)
    {
        if (request.Method != "GET") throw GraphApi.MethodNotAllowed();
        if (rest.Length > 0) throw Applications.NotEmulated($"'{rest[0]}' on the organization");
        var organization = Served(store);
        if (id is null)
        {
            ODataQuery.Filter(request, "organization");
            var list = new[] { organization };
            return ODataQuery.Collection(request, "organization", list, ODataQuery.Select(request, "organization", list, OrganizationProperties));
        }
        GraphApi.RequireObjectId(id);
        if (!string.Equals((string?)organization["id"], id, StringComparison.OrdinalIgnoreCase)) throw GraphException.NotFound(id);
        return ODataQuery.Single(request, "organization", organization, ODataQuery.Select(request, "organization", new[] { organization }, OrganizationProperties));
    }

    /// <summary>The organization as Graph serves it: verifiedDomains built from the verified domains.</summary>
    private static JsonObject Served(EmulatorStore store)
    {
        var organization = (JsonObject)store.State["organization"]!.DeepClone();
        organization["id"] ??= (string?)store.State["tenantId"];
        var verified = new JsonArray();
        foreach (var domain in store.Collection("domains").OfType<JsonObject>())
        {
            if (domain["isVerified"]?.GetValue<bool>() == false) continue;
            var services = (domain["supportedServices"] as JsonArray)?.Select(s => (string?)s).ToList() ?? new List<string?>();
            verified.Add(new JsonObject
            {
                ["capabilities"] = services.Count == 0 ? "None" : string.Join(", ", services),
                ["isDefault"] = domain["isDefault"]?.GetValue<bool>() ?? false,
                ["isInitial"] = domain["isInitial"]?.GetValue<bool>() ?? false,
                ["name"] = (string?)domain["id"],
                ["type"] = (string?)domain["authenticationType"] ?? "Managed",
            });
        }
        organization["verifiedDomains"] = verified;
        return organization;
    }
}
