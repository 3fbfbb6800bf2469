using System;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Graph;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class TokenTests
    {
        internal static string Jwt(string payloadJson)
        {
            static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return Segment("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Segment(payloadJson) + ".signature";
        }

        internal static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            return secure;
        }

        [Fact]
        public void Claims_of_a_delegated_token_give_account_tenant_and_expiry()
        {
            var claims = TokenClaims.TryParse(Jwt("{\"tid\":\"t-1\",\"upn\":\"admin@contoso.com\",\"appid\":\"a-1\",\"exp\":1893456000}"));
            Assert.Equal("t-1", claims.TenantId);
            Assert.Equal("admin@contoso.com", claims.Account);
            Assert.Equal("a-1", claims.AppId);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), claims.ExpiresOn);
        }

        [Fact]
        public void Claims_of_an_app_only_token_have_no_account_but_the_app()
        {
            var claims = TokenClaims.TryParse(Jwt("{\"tid\":\"t-1\",\"azp\":\"a-2\"}"));
            Assert.Null(claims.Account);
            Assert.Equal("a-2", claims.AppId);
            Assert.Null(claims.ExpiresOn);
        }

        [Theory]
        [InlineData("not-a-jwt")]
        [InlineData("a.b.c")]
        [InlineData("")]
        public void A_token_that_is_not_a_readable_JWT_has_no_claims(string token)
        {
            Assert.Null(TokenClaims.TryParse(token));
        }

        [Fact]
        public async Task An_access_token_credential_returns_the_given_token_with_its_expiry()
        {
            var token = Jwt("{\"exp\":1893456000}");
            var credential = new AccessTokenCredential(Secure(token));
            var issued = await credential.GetTokenAsync(new TokenRequestContext(new[] { "https://graph.microsoft.com/.default" }), CancellationToken.None);
            Assert.Equal(token, issued.Token);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), issued.ExpiresOn);
        }

        [Fact]
        public async Task The_token_goes_only_to_the_connected_graph_root()
        {
            var provider = new GraphTokenProvider(new AccessTokenCredential(Secure("opaque-token")), new Uri("https://graph.microsoft.us/"));
            Assert.Equal("opaque-token", await provider.GetAuthorizationTokenAsync(new Uri("https://graph.microsoft.us/v1.0/organization")));
            Assert.Equal(string.Empty, await provider.GetAuthorizationTokenAsync(new Uri("https://graph.microsoft.com/v1.0/organization")));
            Assert.Equal(string.Empty, await provider.GetAuthorizationTokenAsync(new Uri("http://graph.microsoft.us/v1.0/organization")));
            Assert.Equal(string.Empty, await provider.GetAuthorizationTokenAsync(new Uri("https://evil.example/v1.0")));
        }
    }
}
