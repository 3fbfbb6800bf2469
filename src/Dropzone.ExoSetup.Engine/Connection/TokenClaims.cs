using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// The claims of a Microsoft Graph access token the module acts on: who (upn, else
    /// preferred_username/unique_name, else oid), which tenant (tid), which app (appid/azp), what it
    /// may do (scp: delegated scopes, space-separated; roles: application permissions) and when it
    /// expires (exp). Names from the Microsoft identity platform's access token claims reference
    /// (entra/identity-platform/access-token-claims-reference). The token is decoded, never
    /// validated (Graph validates it), and its text is not kept.
    /// </summary>
    public sealed class TokenClaims
    {
        private static readonly string[] None = new string[0];

        public string TenantId { get; private set; }
        public string Account { get; private set; }
        public string ObjectId { get; private set; }
        public string AppId { get; private set; }
        public DateTimeOffset? ExpiresOn { get; private set; }

        /// <summary>Delegated permissions (the scp claim), e.g. Application.ReadWrite.All.</summary>
        public IReadOnlyList<string> Scopes { get; private set; } = None;

        /// <summary>Application permissions (the roles claim) of an app-only token.</summary>
        public IReadOnlyList<string> Roles { get; private set; } = None;

        /// <summary>An app-only token: roles and no scp (client credentials, managed identity).</summary>
        public bool IsAppOnly => Scopes.Count == 0 && Roles.Count > 0;

        /// <summary>What the token may do: its scopes, or for an app-only token its roles.</summary>
        public IReadOnlyList<string> Permissions => IsAppOnly ? Roles : Scopes;

        /// <summary>The claims of a JWT, or null when the token is not a readable JWT.</summary>
        public static TokenClaims TryParse(string token)
        {
            if (string.IsNullOrEmpty(token)) return null;
            var parts = token.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                using (var doc = JsonDocument.Parse(Base64UrlDecode(parts[1])))
                {
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return null;
                    var claims = new TokenClaims
                    {
                        TenantId = Text(root, "tid"),
                        ObjectId = Text(root, "oid"),
                        AppId = Text(root, "appid") ?? Text(root, "azp"),
                        Scopes = (Text(root, "scp") ?? string.Empty).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries),
                        Roles = TextArray(root, "roles"),
                    };
                    claims.Account = Text(root, "upn") ?? Text(root, "preferred_username") ?? Text(root, "unique_name") ?? claims.ObjectId;
                    if (root.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds))
                        claims.ExpiresOn = DateTimeOffset.FromUnixTimeSeconds(seconds);
                    return claims;
                }
            }
            catch (Exception e) when (e is FormatException || e is JsonException || e is ArgumentException)
            {
                return null;
            }
        }

        private static string Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static IReadOnlyList<string> TextArray(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()).ToArray()
                : None;

        private static byte[] Base64UrlDecode(string segment)
        {
            var s = segment.Replace('-', '+').Replace('_', '/');
            switch (s.Length % 4)
            {
                case 2: s += "=="; break;
                case 3: s += "="; break;
            }
            return Convert.FromBase64String(s);
        }
    }
}
