using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// Validation of a PATCHed keyCredentials collection, strict where Graph is strict: every entry must
/// carry its certificate ("key", base64 of DER), dates must lie inside the certificate's validity
/// and the certificate must not be expired (KeyCredentialsInvalidEndDate).
/// </summary>
public static class KeyCredentials
{
    /// <param name="existing">The app's keyCredentials before the PATCH.</param>
    /// <param name="rejectExpiredSentBack">
    /// Whether an expired certificate the app already holds, sent back unchanged, is refused too
    /// (UNCONFIRMED: <see cref="EmulatorStore.RejectExpiredCertificateSentBack"/>).
    /// </param>
    public static JsonArray Validate(JsonNode? value, JsonArray? existing = null, bool rejectExpiredSentBack = true)
    {
        if (value is not JsonArray entries) throw Invalid("keyCredentials");
        var result = new JsonArray();
        var keyIds = new HashSet<Guid>();
        foreach (var node in entries)
        {
            if (node is not JsonObject entry) throw Invalid("keyCredentials");
            var credential = !rejectExpiredSentBack && UnchangedExpired(entry, existing) is { } kept
                ? (JsonObject)kept.DeepClone()
                : ValidateOne(entry);
            if (!keyIds.Add(Guid.Parse((string)credential["keyId"]!)))
                throw GraphException.BadRequest("Key credentials must have unique keyId values.");
            result.Add(credential);
        }
        return result;
    }

    /// <summary>The stored entry this one repeats (same keyId and key) when its certificate has expired; else null.</summary>
    private static JsonObject? UnchangedExpired(JsonObject entry, JsonArray? existing)
    {
        var keyId = entry["keyId"] is JsonValue k && k.TryGetValue<string>(out var id) ? id : null;
        var key = entry["key"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        if (keyId is null || key is null || existing is null) return null;
        var stored = existing.OfType<JsonObject>().FirstOrDefault(e =>
            string.Equals((string?)e["keyId"], keyId, StringComparison.OrdinalIgnoreCase) && (string?)e["key"] == key);
        if (stored is null) return null;
        return ParseCertificate(key).NotAfter.ToUniversalTime() <= DateTime.UtcNow ? stored : null;
    }

    private static JsonObject ValidateOne(JsonObject entry)
    {
        // Sending an existing entry back without its key: UNCONFIRMED for Graph, rejected here so
        // the module always sends full entries (reference: keyCredentials).
        var keyText = String(entry, "key");
        if (string.IsNullOrWhiteSpace(keyText)) throw Invalid("key");
        var certificate = ParseCertificate(keyText);

        var type = String(entry, "type");
        if (type is not ("AsymmetricX509Cert" or "X509CertAndPassword")) throw Invalid("type");
        var usage = String(entry, "usage");
        if (usage is not ("Verify" or "Sign")) throw Invalid("usage");

        var keyIdText = String(entry, "keyId");
        Guid keyId;
        if (keyIdText is null) keyId = Guid.NewGuid();
        else if (!Guid.TryParse(keyIdText, out keyId)) throw Invalid("keyId");

        var notBefore = Seconds(certificate.NotBefore.ToUniversalTime());
        var notAfter = Seconds(certificate.NotAfter.ToUniversalTime());
        var start = Date(entry, "startDateTime") ?? notBefore;
        var end = Date(entry, "endDateTime") ?? notAfter;
        if (notAfter <= DateTime.UtcNow || start < notBefore || end > notAfter || end <= start)
            throw new GraphException(400, "KeyCredentialsInvalidEndDate", "Key credential end date is invalid.");

        return new JsonObject
        {
            ["customKeyIdentifier"] = String(entry, "customKeyIdentifier") ?? certificate.Thumbprint.ToUpperInvariant(),
            ["displayName"] = String(entry, "displayName"),
            ["endDateTime"] = Iso(end),
            ["key"] = keyText,
            ["keyId"] = keyId.ToString(),
            ["startDateTime"] = Iso(start),
            ["type"] = type,
            ["usage"] = usage,
        };
    }

    private static X509Certificate2 ParseCertificate(string base64)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(base64); }
        catch (FormatException) { throw Invalid("key"); }
        // Graph wants the DER bytes; base64 of a PEM text is a different (wrong) thing.
        if (Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 10)).StartsWith("-----")) throw Invalid("key");
        try { return X509CertificateLoader.LoadCertificate(bytes); }
        catch (CryptographicException) { throw Invalid("key"); }
    }

    private static string? String(JsonObject entry, string name) =>
        entry[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : entry[name] is null ? null : throw Invalid(name);

    private static DateTime? Date(JsonObject entry, string name)
    {
        var text = String(entry, name);
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) throw Invalid(name);
        return Seconds(parsed.UtcDateTime);
    }

    // Certificates carry whole seconds; a client's sub-second rounding must not push a date outside.
    private static DateTime Seconds(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static GraphException Invalid(string property) =>
        GraphException.BadRequest($"Invalid value specified for property '{property}' of resource 'KeyCredential'.");
}
