using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TenantEmulator;

/// <summary>
/// The Exchange Online RBAC cmdlets the module uses, run against the tenant's "exchange" section:
/// <code>
/// "exchange": {
///   "servicePrincipals": [ { "objectId", "appId", "displayName", "whenCreatedUtc" } ],
///   "roleAssignments":   [ { "name", "role", "roleAssigneeName", "roleAssigneeType", "assignmentMethod",
///                            "enabled", "delegating", "customResourceScope", ..., "whenCreatedUtc" } ],
///   "roles":   [ "Transport Hygiene", ... ]            (optional; DefaultRoles when absent)
///   "options": { "unknownIdentity": "all" | "error",
///                "duplicateRoleAssignment": "create" | "error",
///                "appRoles": "any" | "applicationOnly",
///                "assigneeShownAs": "objectId" | "displayName",
///                "defaultAssignmentName": "roleObjectId" | "roleDisplayName",
///                "replicationError": "azureAd" | "objectNotFound",
///                "replicationLagAt": "newServicePrincipal" | "newManagementRoleAssignment" }
/// }
/// </code>
/// A role assignment's stored "roleAssigneeName" is the assignee's identity: for a service principal
/// its objectId; what Get-/New-ManagementRoleAssignment show for it follows "assigneeShownAs".
/// Outputs use the Exchange property names (PascalCase). Every method runs under store.Gate.
/// </summary>
public static class ExchangeCmdlets
{
    public static readonly string[] Supported =
    [
        "New-ServicePrincipal", "Get-ServicePrincipal", "Remove-ServicePrincipal",
        "New-ManagementRoleAssignment", "Get-ManagementRoleAssignment", "Remove-ManagementRoleAssignment",
    ];

    /// <summary>Built-in Exchange Online management roles known to the emulator when the tenant lists none.</summary>
    public static readonly string[] DefaultRoles =
    [
        "Transport Hygiene", "Mail Recipients", "View-Only Configuration", "View-Only Recipients",
        "Organization Configuration", "Role Management", "Security Admin", "Security Reader",
        "Mail Recipient Creation", "Recipient Policies", "Transport Rules", "Compliance Admin",
        "Application Mail.Read", "Application Mail.ReadWrite", "Application Mail.Send",
        "Application MailboxSettings.Read", "Application MailboxSettings.ReadWrite",
        "Application Calendars.Read", "Application Calendars.ReadWrite",
        "Application Contacts.Read", "Application Contacts.ReadWrite",
        "Application Mail Full Access", "Application Exchange Full Access", "Application EWS.AccessAsApp",
    ];

    // "Organization Management" is a role GROUP in Exchange Online, not a role; assigning it with
    // New-ManagementRoleAssignment -Role fails there. It is accepted only if the tenant lists it in exchange.roles.

    public static JsonArray Invoke(EmulatorStore store, string cmdlet, JsonObject p)
    {
        var exchange = store.Exchange;
        var org = InitialDomain(store);
        return cmdlet.ToLowerInvariant() switch
        {
            "new-serviceprincipal" => NewServicePrincipal(store, exchange, p, org),
            "get-serviceprincipal" => GetServicePrincipal(exchange, p, org),
            "remove-serviceprincipal" => RemoveServicePrincipal(exchange, p),
            "new-managementroleassignment" => NewRoleAssignment(store, exchange, p),
            "get-managementroleassignment" => GetRoleAssignment(exchange, p),
            "remove-managementroleassignment" => RemoveRoleAssignment(exchange, p),
            _ => throw new ExchangeError(ExchangeError.CommandNotFoundType,
                $"The term '{cmdlet}' is not recognized as a name of a cmdlet supported by this emulator ({string.Join(", ", Supported)}).", code: "Ex0C0C0C"),
        };
    }

    public static string Option(JsonObject exchange, string name, string fallback) =>
        (exchange["options"] as JsonObject)?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    /// <summary>
    /// The options and their values, the first being the default. Each covers a behaviour no public
    /// source settles (/work/shared/reference/graph-and-exchange.md, "Exchange Online PowerShell"), so
    /// the module's tests run under every value.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Options = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        // The reference's caution on -Identity: "$null or a non-existent value ... returns *all* objects".
        ["unknownIdentity"] = ["all", "error"],
        // What a second assignment of the same role to the same assignee does: UNCONFIRMED.
        ["duplicateRoleAssignment"] = ["create", "error"],
        // New-ManagementRoleAssignment.md, -Role: with -App "you can only specify application roles";
        // the vendor procedure assigns "Transport Hygiene" to an app all the same.
        ["appRoles"] = ["any", "applicationOnly"],
        // What RoleAssignee/RoleAssigneeName show for a service principal: UNCONFIRMED. Field scripts
        // compare RoleAssigneeName with the service principal's ObjectId (a tutorial's "Check
        // progress": $_.RoleAssigneeName -eq "$($sp.ObjectId)") or with its DisplayName
        // (ehlo-pl/EXORBACforAppManagement); Microsoft365DSC reads App from RoleAssignee.
        ["assigneeShownAs"] = ["objectId", "displayName"],
        // The Name Exchange makes up when -Name is omitted ("a name is created automatically",
        // New-ManagementRoleAssignment.md): UNCONFIRMED. Exchange names other assignments
        // "<Role>-<assignee name>" (e.g. the seeded "Transport Hygiene-Organization Management";
        // on-premises partner-application scripts build "{role}-{user.Name}"); which name of a
        // service principal goes there is unknown: its ObjectId or its DisplayName.
        ["defaultAssignmentName"] = ["roleObjectId", "roleDisplayName"],
        // How a service principal the directory has not replicated yet is reported: the invented
        // "could not be found in Azure Active Directory", or Exchange's usual not-found text "The
        // operation couldn't be performed because object '<id>' couldn't be found on '<DC>'."
        // (ManagementObjectNotFoundException). UNCONFIRMED.
        ["replicationError"] = ["azureAd", "objectNotFound"],
        // Which cmdlet checks the directory: New-ServicePrincipal (the reference: "Exchange refuses
        // an object id that is not in the directory"), or only New-ManagementRoleAssignment
        // (New-ServicePrincipal "does not validate its values", michev.info post 4027). UNCONFIRMED.
        ["replicationLagAt"] = ["newServicePrincipal", "newManagementRoleAssignment"],
    };

    public static string Option(JsonObject exchange, string name) => Option(exchange, name, Options[name][0]);

    // ----- service principals ---------------------------------------------------------------------

    private static JsonArray NewServicePrincipal(EmulatorStore store, JsonObject exchange, JsonObject p, string org)
    {
        var appId = ExchangeParameters.String(p, "AppId");
        var objectId = ExchangeParameters.String(p, "ObjectId");
        var serviceId = ExchangeParameters.String(p, "ServiceId");
        if (string.IsNullOrWhiteSpace(appId))
            throw ExchangeError.Argument("The AppId parameter is required.");
        if (objectId is not null && serviceId is not null && !string.Equals(objectId, serviceId, StringComparison.OrdinalIgnoreCase))
            throw ExchangeError.Argument("The ObjectId and ServiceId parameters specify different objects. ServiceId is deprecated: use ObjectId only.");
        objectId ??= serviceId;
        if (string.IsNullOrWhiteSpace(objectId))
            throw ExchangeError.Argument("The ObjectId parameter is required.");
        if (!Guid.TryParse(appId, out _))
            throw ExchangeError.Argument($"The AppId '{appId}' isn't a valid GUID.");
        if (!Guid.TryParse(objectId, out _))
            throw ExchangeError.Argument($"The ObjectId '{objectId}' isn't a valid GUID.");

        // With replicationLagAt = newServicePrincipal, Exchange refuses an object id that is not a
        // service principal of that AppId in Entra ID (the app registration's object id is NOT one);
        // otherwise New-ServicePrincipal takes the values as given and New-ManagementRoleAssignment
        // is where the directory is consulted.
        var directorySp = store.Collection("servicePrincipals").OfType<JsonObject>()
            .FirstOrDefault(sp => Same((string?)sp["id"], objectId));
        if (Option(exchange, "replicationLagAt") == "newServicePrincipal")
        {
            if (directorySp is null)
            {
                var isApplication = store.Collection("applications").OfType<JsonObject>().Any(a => Same((string?)a["id"], objectId));
                var error = ExchangeFaults.ReplicationError(exchange, objectId, appId);
                throw isApplication
                    ? new ExchangeError(error.TypeName, error.Message + " The ObjectId is the object id of an application registration, not of its service principal (Enterprise application).", error.Status, error.Code)
                    : error;
            }
            // A service principal just created through Graph that reads do not see yet (the emulator's
            // replication delay, /_emulator/replication) is not seen by Exchange either; the lookup counts as a read.
            ConsumeInvisibleRead(store, exchange, objectId, appId);
            if (!Same((string?)directorySp["appId"], appId))
                throw ExchangeError.Argument($"The AppId '{appId}' doesn't match the AppId '{(string?)directorySp["appId"]}' of the service principal with ObjectId '{objectId}' in Azure Active Directory.");
        }

        var list = StoreOf(exchange, "servicePrincipals");
        var existing = list.OfType<JsonObject>().FirstOrDefault(sp => Same((string?)sp["appId"], appId) || Same((string?)sp["objectId"], objectId));
        if (existing is not null)
            throw new ExchangeError(ExchangeError.AlreadyExistsType,
                $"A service principal with AppId '{(string?)existing["appId"]}' and ObjectId '{(string?)existing["objectId"]}' already exists in the organization.", code: "ExC43B1A");

        var created = new JsonObject
        {
            ["objectId"] = objectId.ToLowerInvariant(),
            ["appId"] = appId.ToLowerInvariant(),
            ["displayName"] = ExchangeParameters.String(p, "DisplayName") ?? (string?)directorySp?["displayName"] ?? "",
            ["whenCreatedUtc"] = Now(),
        };
        list.Add(created);
        return [ServicePrincipalOutput(created, org)];
    }

    /// <summary>
    /// A directory read of a service principal still under the emulator's replication delay (in
    /// reads, or in time: /_emulator/replication) fails, using up one invisible read.
    /// </summary>
    private static void ConsumeInvisibleRead(EmulatorStore store, JsonObject exchange, string objectId, string appId)
    {
        if (store.IsReplicatingToExchange(objectId)) throw ExchangeFaults.ReplicationError(exchange, objectId, appId);
        if (!store.InvisibleServicePrincipals.TryGetValue(objectId, out var remaining)) return;
        if (remaining <= 1) store.InvisibleServicePrincipals.Remove(objectId);
        else store.InvisibleServicePrincipals[objectId] = remaining - 1;
        throw ExchangeFaults.ReplicationError(exchange, objectId, appId);
    }

    private static JsonArray GetServicePrincipal(JsonObject exchange, JsonObject p, string org)
    {
        var all = StoreOf(exchange, "servicePrincipals").OfType<JsonObject>().ToList();
        var identity = ExchangeParameters.String(p, "Identity");
        JsonObject Shape(JsonObject sp) => ServicePrincipalOutput(sp, org);
        if (string.IsNullOrEmpty(identity)) return Output(all, Shape);
        var matches = all.Where(sp => MatchesServicePrincipal(sp, identity)).ToList();
        if (matches.Count == 0)
        {
            // UNCONFIRMED: the reference warns that a non-existent Identity "returns all objects".
            if (Option(exchange, "unknownIdentity", "all") == "error") throw ExchangeError.NotFound(identity);
            return Output(all, Shape);
        }
        return Output(matches, Shape);
    }

    private static JsonArray RemoveServicePrincipal(JsonObject exchange, JsonObject p)
    {
        var identity = ExchangeParameters.String(p, "Identity") ?? throw ExchangeError.Argument("The Identity parameter is required.");
        var sp = ResolveServicePrincipal(exchange, identity);
        StoreOf(exchange, "servicePrincipals").Remove(sp);
        return [];
    }

    private static JsonObject ResolveServicePrincipal(JsonObject exchange, string identity)
    {
        var matches = StoreOf(exchange, "servicePrincipals").OfType<JsonObject>().Where(sp => MatchesServicePrincipal(sp, identity)).ToList();
        return matches.Count switch
        {
            0 => throw ExchangeError.NotFound(identity),
            1 => matches[0],
            _ => throw ExchangeError.Ambiguous(identity),
        };
    }

    // ServicePrincipalIdParameter: name, DN, GUID, AppId or ObjectId. The fake's Name is the ObjectId.
    private static bool MatchesServicePrincipal(JsonObject sp, string identity) =>
        Same((string?)sp["objectId"], identity) || Same((string?)sp["appId"], identity)
        || Same((string?)sp["displayName"], identity) || ((string?)sp["objectId"] is { } id && identity.StartsWith($"CN={id},", StringComparison.OrdinalIgnoreCase));

    private static string DistinguishedName(JsonObject sp, string org) =>
        $"CN={(string?)sp["objectId"]},OU={org},OU=Microsoft Exchange Hosted Organizations,DC=EMUPR01A001,DC=PROD,DC=OUTLOOK,DC=COM";

    private static JsonObject ServicePrincipalOutput(JsonObject sp, string org)
    {
        var objectId = (string?)sp["objectId"];
        return new JsonObject
        {
            ["DisplayName"] = (string?)sp["displayName"],
            ["AppId"] = (string?)sp["appId"],
            ["ObjectId"] = objectId,
            ["ServiceId"] = objectId,
            ["Identity"] = objectId,
            ["Name"] = objectId,
            ["Id"] = objectId,
            ["DistinguishedName"] = DistinguishedName(sp, org),
            ["Organization"] = org,
            ["IsValid"] = true,
            ["ObjectState"] = "Unchanged",
            ["WhenCreatedUTC"] = (string?)sp["whenCreatedUtc"],
            ["WhenChangedUTC"] = (string?)sp["whenCreatedUtc"],
        };
    }

    // ----- role assignments -----------------------------------------------------------------------

    private static JsonArray NewRoleAssignment(EmulatorStore store, JsonObject exchange, JsonObject p)
    {
        foreach (var other in new[] { "User", "SecurityGroup", "Policy", "Computer" })
            if (ExchangeParameters.Has(p, other))
                throw new ExchangeError(ExchangeError.NotSupportedType,
                    $"New-ManagementRoleAssignment -{other} is not supported by this emulator (only -App).", code: "Ex0N0T5P");
        var roleArg = ExchangeParameters.String(p, "Role") ?? throw ExchangeError.Argument("The Role parameter is required.");
        var app = ExchangeParameters.String(p, "App") ?? throw new ExchangeError(ExchangeError.ParameterSetType,
            "Parameter set cannot be resolved using the specified named parameters. One of App, User, SecurityGroup or Policy is required.", code: "Ex1A2B3C");

        var role = ResolveRole(exchange, roleArg);
        var sp = ResolveServicePrincipal(exchange, app);
        var assignee = (string)sp["objectId"]!;
        if (Option(exchange, "replicationLagAt") == "newManagementRoleAssignment")
        {
            // Here (not at New-ServicePrincipal) Exchange looks the service principal up in the directory.
            var inDirectory = store.Collection("servicePrincipals").OfType<JsonObject>().Any(d => Same((string?)d["id"], assignee));
            if (!inDirectory) throw ExchangeFaults.ReplicationError(exchange, app, "");
            ConsumeInvisibleRead(store, exchange, assignee, "");
        }

        // UNCONFIRMED: the reference says that with -App "you can only specify application roles";
        // the vendor procedure assigns "Transport Hygiene" to an app. Default: accept any known role.
        if (Option(exchange, "appRoles", "any") == "applicationOnly" && !role.StartsWith("Application ", StringComparison.OrdinalIgnoreCase))
            throw ExchangeError.Argument($"The role '{role}' can't be assigned to a service principal. Only application roles (for example 'Application Mail.Read') can be assigned with the App parameter.");

        var list = StoreOf(exchange, "roleAssignments");
        var duplicate = list.OfType<JsonObject>().FirstOrDefault(a =>
            Same((string?)a["role"], role) && Same((string?)a["roleAssigneeName"], assignee)
            && ScopeOf(a) == ScopeOf(p, fromParameters: true));
        // UNCONFIRMED: what Exchange does with a duplicate. "create" (default) makes a second assignment.
        if (duplicate is not null && Option(exchange, "duplicateRoleAssignment", "create") == "error")
            throw new ExchangeError(ExchangeError.AlreadyExistsType,
                $"The role assignment '{(string?)duplicate["name"]}' already assigns the management role '{role}' to '{assignee}'.", code: "ExD0D0D0");

        var name = ExchangeParameters.String(p, "Name");
        if (name is not null)
        {
            if (name.Length == 0 || name.Length > 64) throw ExchangeError.Argument($"The length of the Name '{name}' must be between 1 and 64 characters.");
            if (list.OfType<JsonObject>().Any(a => Same((string?)a["name"], name)))
                throw new ExchangeError(ExchangeError.AlreadyExistsType,
                    $"The management role assignment '{name}' already exists. Choose a different name.", code: "ExC43B1A");
        }
        else
        {
            var assigneeName = Option(exchange, "defaultAssignmentName") == "roleDisplayName" ? (string?)sp["displayName"] ?? assignee : assignee;
            name = GenerateName(list, $"{role}-{assigneeName}");
        }

        var created = new JsonObject
        {
            ["name"] = name,
            ["role"] = role,
            ["roleAssigneeName"] = assignee,
            ["roleAssigneeType"] = "ServicePrincipal",
            ["assignmentMethod"] = "Direct",
            ["enabled"] = true,
            ["delegating"] = ExchangeParameters.Bool(p, "Delegating") ?? false,
            ["customResourceScope"] = ExchangeParameters.String(p, "CustomResourceScope"),
            ["recipientAdministrativeUnitScope"] = ExchangeParameters.String(p, "RecipientAdministrativeUnitScope"),
            ["recipientGroupScope"] = ExchangeParameters.String(p, "RecipientGroupScope"),
            ["guid"] = Guid.NewGuid().ToString(),
            ["whenCreatedUtc"] = Now(),
        };
        list.Add(created);
        return [RoleAssignmentOutput(exchange, created)];
    }

    // UNCONFIRMED: Exchange's generated name (option defaultAssignmentName): "<Role>-<assignee>", cut
    // to fit 64 characters, with a number appended when the name is taken.
    private static string GenerateName(JsonArray list, string baseName)
    {
        bool Taken(string n) => list.OfType<JsonObject>().Any(a => Same((string?)a["name"], n));
        var name = baseName.Length > 64 ? baseName[..64] : baseName;
        for (var i = 1; Taken(name); i++)
        {
            var suffix = i.ToString();
            name = (baseName.Length + suffix.Length > 64 ? baseName[..(64 - suffix.Length)] : baseName) + suffix;
        }
        return name;
    }

    private static string ScopeOf(JsonObject o, bool fromParameters = false)
    {
        string? Read(string camel, string pascal) => fromParameters ? ExchangeParameters.String(o, pascal) : (string?)o[camel];
        return string.Join("|",
            Read("customResourceScope", "CustomResourceScope") ?? "",
            Read("recipientAdministrativeUnitScope", "RecipientAdministrativeUnitScope") ?? "",
            Read("recipientGroupScope", "RecipientGroupScope") ?? "").ToLowerInvariant();
    }

    private static string ResolveRole(JsonObject exchange, string role)
    {
        var known = exchange["roles"] is JsonArray roles
            ? roles.Select(r => r is JsonObject o ? (string?)o["name"] : (string?)r).OfType<string>().ToArray()
            : DefaultRoles;
        return known.FirstOrDefault(r => Same(r, role)) ?? throw ExchangeError.NotFound(role);
    }

    private static JsonArray GetRoleAssignment(JsonObject exchange, JsonObject p)
    {
        IEnumerable<JsonObject> result = StoreOf(exchange, "roleAssignments").OfType<JsonObject>().ToList();
        var identity = ExchangeParameters.String(p, "Identity");
        if (!string.IsNullOrEmpty(identity))
        {
            var pattern = Wildcard(identity);
            var matches = result.Where(a => pattern.IsMatch((string?)a["name"] ?? "")).ToList();
            if (matches.Count == 0 && !identity.Contains('*'))
            {
                // UNCONFIRMED (same caution as Get-ServicePrincipal in the reference).
                if (Option(exchange, "unknownIdentity", "all") == "error") throw ExchangeError.NotFound(identity);
            }
            else result = matches;
        }
        var role = ExchangeParameters.String(p, "Role");
        if (role is not null)
        {
            var resolved = ResolveRole(exchange, role);
            result = result.Where(a => Same((string?)a["role"], resolved));
        }
        var assignee = ExchangeParameters.String(p, "RoleAssignee");
        if (assignee is not null)
        {
            // Documented for role groups, policies, users and USGs only: a service principal is not
            // a valid RoleAssignee here, so assignments to service principals never match.
            var candidates = result.Where(a => !Same((string?)a["roleAssigneeType"], "ServicePrincipal")).ToList();
            if (!StoreOf(exchange, "roleAssignments").OfType<JsonObject>()
                    .Any(a => !Same((string?)a["roleAssigneeType"], "ServicePrincipal") && Same((string?)a["roleAssigneeName"], assignee)))
                throw ExchangeError.NotFound(assignee);
            result = candidates.Where(a => Same((string?)a["roleAssigneeName"], assignee));
        }
        var methods = ExchangeParameters.Strings(p, "AssignmentMethod");
        if (methods is not null) result = result.Where(a => methods.Any(m => Same(m, (string?)a["assignmentMethod"] ?? "Direct")));
        var assigneeType = ExchangeParameters.String(p, "RoleAssigneeType");
        if (assigneeType is not null) result = result.Where(a => Same((string?)a["roleAssigneeType"], assigneeType));
        var enabled = ExchangeParameters.Bool(p, "Enabled");
        if (enabled is not null) result = result.Where(a => ((bool?)a["enabled"] ?? true) == enabled);
        var delegating = ExchangeParameters.Bool(p, "Delegating");
        if (delegating is not null) result = result.Where(a => ((bool?)a["delegating"] ?? false) == delegating);
        var exclusive = ExchangeParameters.Bool(p, "Exclusive");
        if (exclusive is true) result = [];
        foreach (var (param, field) in new[] { ("CustomRecipientWriteScope", "customResourceScope"), ("RecipientAdministrativeUnitScope", "recipientAdministrativeUnitScope"), ("RecipientGroupScope", "recipientGroupScope") })
        {
            var value = ExchangeParameters.String(p, param);
            if (value is not null) result = result.Where(a => Same((string?)a[field], value));
        }
        return Output(result, a => RoleAssignmentOutput(exchange, a));
    }

    private static JsonArray RemoveRoleAssignment(JsonObject exchange, JsonObject p)
    {
        var identity = ExchangeParameters.String(p, "Identity") ?? throw ExchangeError.Argument("The Identity parameter is required.");
        var list = StoreOf(exchange, "roleAssignments");
        var matches = list.OfType<JsonObject>().Where(a => Same((string?)a["name"], identity) || Same((string?)a["guid"], identity)).ToList();
        if (matches.Count == 0) throw ExchangeError.NotFound(identity);
        if (matches.Count > 1) throw ExchangeError.Ambiguous(identity);
        list.Remove(matches[0]);
        return [];
    }

    private static JsonObject RoleAssignmentOutput(JsonObject exchange, JsonObject a)
    {
        var delegating = (bool?)a["delegating"] ?? false;
        var name = (string?)a["name"];
        var type = (string?)a["roleAssigneeType"] ?? "ServicePrincipal";
        var assignee = (string?)a["roleAssigneeName"];
        if (Same(type, "ServicePrincipal") && Option(exchange, "assigneeShownAs") == "displayName")
        {
            var sp = StoreOf(exchange, "servicePrincipals").OfType<JsonObject>().FirstOrDefault(s => Same((string?)s["objectId"], assignee));
            if (sp is not null && !string.IsNullOrEmpty((string?)sp["displayName"])) assignee = (string?)sp["displayName"];
        }
        return new JsonObject
        {
            ["Name"] = name,
            ["Identity"] = name,
            ["Id"] = name,
            ["Role"] = (string?)a["role"],
            ["RoleAssignee"] = assignee,
            ["RoleAssigneeName"] = assignee,
            ["RoleAssigneeType"] = type,
            ["AssignmentMethod"] = (string?)a["assignmentMethod"] ?? "Direct",
            ["EffectiveUserName"] = "All Group Members",
            ["Enabled"] = (bool?)a["enabled"] ?? true,
            ["RoleAssignmentDelegationType"] = delegating ? "DelegatingOrgWide" : "Regular",
            ["CustomResourceScope"] = (string?)a["customResourceScope"],
            ["RecipientAdministrativeUnitScope"] = (string?)a["recipientAdministrativeUnitScope"],
            ["RecipientGroupScope"] = (string?)a["recipientGroupScope"],
            ["RecipientReadScope"] = "Organization",
            ["ConfigReadScope"] = "OrganizationConfig",
            ["RecipientWriteScope"] = (string?)a["customResourceScope"] is null ? "Organization" : "CustomRecipientScope",
            ["ConfigWriteScope"] = "OrganizationConfig",
            ["Guid"] = (string?)a["guid"],
            ["IsValid"] = true,
            ["WhenCreatedUTC"] = (string?)a["whenCreatedUtc"],
            ["WhenChangedUTC"] = (string?)a["whenCreatedUtc"],
        };
    }

    // ----- helpers --------------------------------------------------------------------------------

    private static JsonArray StoreOf(JsonObject exchange, string name) => EmulatorStore.CollectionOf(exchange, name);

    private static JsonArray Output(IEnumerable<JsonObject> items, Func<JsonObject, JsonObject> shape) =>
        new(items.Select(i => (JsonNode)shape(i)).ToArray());

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static Regex Wildcard(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string InitialDomain(EmulatorStore store) =>
        store.Collection("domains").OfType<JsonObject>()
            .Where(d => d["isInitial"] is JsonValue v && v.TryGetValue<bool>(out var initial) && initial)
            .Select(d => (string?)d["id"]).FirstOrDefault(id => id is not null) ?? "emulator.onmicrosoft.com";

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
}
