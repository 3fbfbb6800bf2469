using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// What a Bearer token that is a JWT says about its caller: scp (delegated scopes, space-separated),
/// roles (application permissions), exp, tid (the tenant it was issued for). Claim names: Microsoft identity platform, access token
/// claims reference. The emulator never checks signatures (tests use unsigned tokens); a token that
/// is not a JWT is taken as one that may do anything, so fake opaque tokens keep working.
/// </summary>
public sealed record BearerToken(IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles, DateTimeOffset? ExpiresOn, string? TenantId = null)
{
    public bool IsAppOnly => Scopes.Count == 0 && Roles.Count > 0;

    public bool Holds(IEnumerable<string> delegatedAlternatives, IEnumerable<string> applicationAlternatives) =>
        (IsAppOnly ? applicationAlternatives : delegatedAlternatives).Any(p => (IsAppOnly ? Roles : Scopes).Contains(p, StringComparer.OrdinalIgnoreCase));

    /// <summary>The claims of the request's Bearer JWT, or null when there is none or it is not a JWT.</summary>
    public static BearerToken? Read(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        return Parse(header["Bearer ".Length..].Trim());
    }

    public static BearerToken? Parse(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            if (JsonNode.Parse(Base64Url.Decode(parts[1])) is not JsonObject payload) return null;
            var scopes = ((string?)(payload["scp"] as JsonValue))?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            var roles = (payload["roles"] as JsonArray)?.OfType<JsonValue>().Select(r => (string?)r).OfType<string>().ToArray() ?? [];
            DateTimeOffset? exp = payload["exp"] is JsonValue e && e.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            var tid = payload["tid"] is JsonValue t && t.TryGetValue<string>(out var tenant) ? tenant : null;
            return new BearerToken(scopes, roles, exp, tid);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

public static class Base64Url
{
    public static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(s);
    }
}
