using System;
using System.Text;
using System.Text.Json;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// The few claims of an access token the context shows (who, which tenant, which app, when it
    /// expires). The token is decoded, never validated: Graph validates it. The token text itself is
    /// not kept.
    /// </summary>
    public sealed class TokenClaims
    {
        public string TenantId { get; private set; }
        public string Account { get; private set; }
        public string AppId { get; private set; }
        public DateTimeOffset? ExpiresOn { get; private set; }

        /// <summary>The claims of a JWT, or null when the token is not a readable JWT.</summary>
        public static TokenClaims TryParse(string token)
        {
            if (string.IsNullOrEmpty(token)) return null;
            var parts = token.Split('.');
            if (parts.Length < 2) return null;
            try
            {
                using (var doc = JsonDocument.Parse(Base64UrlDecode(parts[1])))
                {
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return null;
                    var claims = new TokenClaims
                    {
                        TenantId = Text(root, "tid"),
                        Account = Text(root, "upn") ?? Text(root, "preferred_username") ?? Text(root, "unique_name"),
                        AppId = Text(root, "appid") ?? Text(root, "azp"),
                    };
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
