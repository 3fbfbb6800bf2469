using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// The "otherWriter" fault: another client (an admin in the portal, another script) read the
/// application just before the faulted PATCH arrived and writes its own copy of the same
/// collections right after that PATCH: what it read, with its own change ("add", "remove"). Graph
/// offers no ETag/If-Match on applications and a PATCH replaces the whole collection
/// (Graph docs: api/application-update.md, concepts/applications-how-to-add-certificate.md), so the
/// faulted PATCH's change is undone, deterministically, which is the lost update a client must
/// detect and repair. With count &gt; 1 it happens again on each of the next matching PATCHes.
/// </summary>
public static class OtherWriter
{
    private static readonly string[] Collections = { "keyCredentials", "requiredResourceAccess" };

    /// <summary>Validates a fault's "add" and "remove" when it is added; throws ArgumentException.</summary>
    public static void Check(JsonObject add, JsonObject remove)
    {
        foreach (var (name, value) in add.Concat(remove))
            if (!Collections.Contains(name) || value is not JsonArray)
                throw new ArgumentException($"add and remove take arrays named {string.Join(" or ", Collections)}, not '{name}'");
        if (add["keyCredentials"] is JsonArray withKeyIds && withKeyIds.Any(k => (string?)k?["keyId"] is null))
            throw new ArgumentException("each keyCredential the other writer adds needs its keyId");
        try
        {
            if (add["keyCredentials"] is JsonArray keys) KeyCredentials.Validate(keys.DeepClone());
            if (add["requiredResourceAccess"] is JsonArray access) RequiredResourceAccess.Validate(access.DeepClone());
        }
        catch (GraphException e)
        {
            throw new ArgumentException($"add is not what Graph would accept: {e.Message}");
        }
    }

    /// <summary>
    /// After the faulted PATCH was applied to <paramref name="app"/>: every collection that PATCH
    /// named is replaced by the other writer's copy of <paramref name="readBefore"/>.
    /// </summary>
    public static void Write(JsonObject app, JsonObject readBefore, JsonObject patch, Fault fault)
    {
        foreach (var name in Collections.Where(patch.ContainsKey))
        {
            var copy = (readBefore[name] as JsonArray)?.DeepClone() as JsonArray ?? new JsonArray();
            var removed = (fault.Remove[name] as JsonArray)?.Select(n => (string?)n).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? new HashSet<string?>();
            var added = fault.Add[name] as JsonArray ?? new JsonArray();
            app[name] = name == "keyCredentials" ? WithKeys(copy, removed, added) : WithPermissions(copy, removed, added);
        }
    }

    private static JsonArray WithKeys(JsonArray keys, HashSet<string?> removedKeyIds, JsonArray added)
    {
        var result = new JsonArray(keys.Where(k => !removedKeyIds.Contains((string?)k?["keyId"])).Select(k => k!.DeepClone()).ToArray());
        // On a second PATCH the other writer read its own earlier entry: it is not added twice.
        foreach (var entry in KeyCredentials.Validate(added.DeepClone()))
            if (!result.Any(k => string.Equals((string?)k?["keyId"], (string?)entry?["keyId"], StringComparison.OrdinalIgnoreCase))) result.Add(entry!.DeepClone());
        return result;
    }

    private static JsonArray WithPermissions(JsonArray access, HashSet<string?> removedIds, JsonArray added)
    {
        var result = new JsonArray();
        foreach (var entry in access.OfType<JsonObject>())
        {
            var kept = new JsonArray(entry["resourceAccess"]!.AsArray().Where(a => !removedIds.Contains((string?)a?["id"])).Select(a => a!.DeepClone()).ToArray());
            if (kept.Count > 0) result.Add(new JsonObject { ["resourceAppId"] = (string?)entry["resourceAppId"], ["resourceAccess"] = kept });
        }
        foreach (var entry in RequiredResourceAccess.Validate(added.DeepClone()).OfType<JsonObject>())
        {
            var resource = (string?)entry["resourceAppId"];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => string.Equals((string?)e["resourceAppId"], resource, StringComparison.OrdinalIgnoreCase));
            if (existing is null) result.Add(entry.DeepClone());
            else
                foreach (var permission in entry["resourceAccess"]!.AsArray())
                    if (!existing["resourceAccess"]!.AsArray().Any(p => string.Equals((string?)p?["id"], (string?)permission?["id"], StringComparison.OrdinalIgnoreCase)))
                        existing["resourceAccess"]!.AsArray().Add(permission!.DeepClone());
        }
        return result;
    }
}
