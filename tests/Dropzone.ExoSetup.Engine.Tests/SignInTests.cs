using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Planning;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>What a token allows, what the writes need, and how sign-in asks for it.</summary>
    public class SignInTests
    {
        private static TokenClaims Delegated(params string[] scopes) =>
            TokenClaims.TryParse(TokenTests.Jwt("{\"tid\":\"t-1\",\"upn\":\"admin@contoso.com\",\"oid\":\"o-1\",\"scp\":\"" + string.Join(" ", scopes) + "\"}"));

        private static TokenClaims AppOnly(params string[] roles) =>
            TokenClaims.TryParse(TokenTests.Jwt("{\"tid\":\"t-1\",\"oid\":\"o-2\",\"azp\":\"a-1\",\"roles\":[" + string.Join(",", roles.Select(r => "\"" + r + "\"")) + "]}"));

        [Fact]
        public void A_delegated_token_gives_its_scopes_and_an_app_only_token_its_roles()
        {
            var user = Delegated("Application.ReadWrite.All", "User.Read");
            Assert.Equal(new[] { "Application.ReadWrite.All", "User.Read" }, user.Permissions);
            Assert.False(user.IsAppOnly);
            Assert.Equal("o-1", user.ObjectId);

            var app = AppOnly("Application.ReadWrite.OwnedBy");
            Assert.True(app.IsAppOnly);
            Assert.Equal(new[] { "Application.ReadWrite.OwnedBy" }, app.Permissions);
            Assert.Equal("o-2", app.Account);
        }

        [Fact]
        public void Certificate_permission_and_service_principal_writes_need_application_write_and_consent_needs_assignment_write_too()
        {
            var kinds = new[] { ChangeKind.AddCertificate, ChangeKind.RequestPermission, ChangeKind.CreateServicePrincipal, ChangeKind.GrantConsent };
            var missing = RequiredPermissions.Missing(Delegated("User.Read"), kinds);
            Assert.Equal(new[] { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Application.Read.All" }, missing.Select(m => m.Name));
        }

        [Theory]
        [InlineData("Application.ReadWrite.All")]
        [InlineData("Directory.AccessAsUser.All")]
        [InlineData("Directory.ReadWrite.All")]
        public void Delegated_app_writes_are_allowed_by_any_permission_that_grants_them(string scope)
        {
            Assert.Empty(RequiredPermissions.Missing(Delegated(scope), new[] { ChangeKind.AddCertificate, ChangeKind.DeleteServicePrincipal }));
        }

        [Fact]
        public void Directory_AccessAsUser_All_does_not_allow_consent()
        {
            var missing = RequiredPermissions.Missing(Delegated("Directory.AccessAsUser.All"), new[] { ChangeKind.GrantConsent });
            Assert.Equal(new[] { "AppRoleAssignment.ReadWrite.All" }, missing.Select(m => m.Name));
        }

        [Fact]
        public void An_app_only_token_is_judged_by_its_roles_where_OwnedBy_allows_app_writes()
        {
            Assert.Empty(RequiredPermissions.Missing(AppOnly("Application.ReadWrite.OwnedBy"), new[] { ChangeKind.AddCertificate }));
            // A role named like a scope does not count as that scope and vice versa.
            Assert.NotEmpty(RequiredPermissions.Missing(AppOnly("Directory.AccessAsUser.All"), new[] { ChangeKind.AddCertificate }));
        }

        [Fact]
        public void Exchange_changes_and_unreadable_tokens_need_nothing_from_Graph()
        {
            Assert.Empty(RequiredPermissions.Missing(Delegated("User.Read"), new[] { ChangeKind.CreateExchangeServicePrincipal, ChangeKind.AssignExchangeRole }));
            Assert.Empty(RequiredPermissions.Missing(null, RequiredPermissions.AllGraphChanges));
        }

        [Fact]
        public void InsufficientPrivileges_names_each_missing_permission_who_can_consent_and_device_code()
        {
            var claims = Delegated("Application.ReadWrite.All", "User.Read");
            var error = RequiredPermissions.Insufficient(claims, RequiredPermissions.Missing(claims, new[] { ChangeKind.GrantConsent }));
            Assert.Equal(ErrorIds.InsufficientPrivileges, error.ErrorId);
            Assert.Contains("AppRoleAssignment.ReadWrite.All", error.Message);
            Assert.Contains("Privileged Role Administrator", error.Message);
            Assert.Contains("nothing was changed", error.Message);
            Assert.Contains("Connect-DropzoneGraph -UseDeviceCode", error.RecommendedAction);
        }

        [Fact]
        public async Task A_source_whose_endpoint_answers_an_error_falls_through_to_the_next()
        {
            var refused = new StubCredential(() => throw new AuthenticationFailedException("AudienceNotSupported: Audience is not a supported MSI token audience."));
            var next = new StubCredential(() => new AccessToken("second", DateTimeOffset.UtcNow.AddHours(1)));
            var chain = new ChainedTokenCredential(new FallThroughCredential(refused, "Azure Cloud Shell"), next);

            var token = await chain.GetTokenAsync(new TokenRequestContext(new[] { "https://graph.microsoft.com/.default" }), CancellationToken.None);
            Assert.Equal("second", token.Token);
            Assert.Equal(1, refused.Calls);

            // Without the wrapper the same answer ends the chain: the next source never gets its turn.
            var bare = new ChainedTokenCredential(new StubCredential(() => throw new AuthenticationFailedException("AudienceNotSupported")), next);
            await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await bare.GetTokenAsync(new TokenRequestContext(new[] { "x/.default" }), CancellationToken.None));
            Assert.Equal(1, next.Calls);
        }

        [Fact]
        public void Device_code_uses_the_Graph_Command_Line_Tools_client_unless_ClientId_is_given()
        {
            var request = new SignInRequest { Method = SignInMethod.DeviceCode, TenantId = "contoso.onmicrosoft.com" };
            var options = CredentialFactory.DeviceCodeOptions(request, NullOperationLog.Instance);
            Assert.Equal("14d82eec-204b-4c2f-b7e8-296a70dab67e", options.ClientId);
            Assert.Equal("contoso.onmicrosoft.com", options.TenantId);

            request.ClientId = "8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f";
            Assert.Equal("8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f", CredentialFactory.DeviceCodeOptions(request, NullOperationLog.Instance).ClientId);
        }

        [Fact]
        public void Device_code_asks_for_exactly_the_delegated_scopes_the_steps_need_on_the_clouds_Graph()
        {
            Assert.Equal(new[]
            {
                "https://graph.microsoft.us/Application.ReadWrite.All",
                "https://graph.microsoft.us/AppRoleAssignment.ReadWrite.All",
                "https://graph.microsoft.us/User.Read",
            }, RequiredPermissions.SignInScopes(CloudEnvironment.USGov.GraphEndpoint));
        }

        [Fact]
        public void Device_code_may_get_other_tenants_tokens_silently_and_never_prompts_by_itself()
        {
            var options = CredentialFactory.DeviceCodeOptions(new SignInRequest { Method = SignInMethod.DeviceCode }, NullOperationLog.Instance);
            var emulator = CredentialFactory.DeviceCodeOptions(new SignInRequest { Method = SignInMethod.DeviceCode, AuthorityHost = new Uri("https://127.0.0.1:44300") }, NullOperationLog.Instance);

            Assert.Contains("*", options.AdditionallyAllowedTenants);
            Assert.True(options.DisableAutomaticAuthentication);
            Assert.False(options.DisableInstanceDiscovery);
            Assert.Equal(new Uri("https://127.0.0.1:44300"), emulator.AuthorityHost);
            Assert.True(emulator.DisableInstanceDiscovery);
        }

        [Fact]
        public async Task The_device_code_request_goes_to_the_Graph_Command_Line_Tools_client_with_those_scopes()
        {
            // The request the credential makes, caught before it leaves the process: no sign-in happens.
            var transport = new RecordingTransport();
            var request = new SignInRequest { Method = SignInMethod.DeviceCode, TenantId = "contoso.onmicrosoft.com" };
            var options = CredentialFactory.DeviceCodeOptions(request, NullOperationLog.Instance);
            options.Transport = transport;
            options.Retry.MaxRetries = 0;
            var credential = new DeviceCodeCredential(options);
            var scopes = RequiredPermissions.SignInScopes(CloudEnvironment.Global.GraphEndpoint);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            // The module signs in with AuthenticateAsync (GraphConnector): GetToken never prompts by itself.
            await Assert.ThrowsAsync<AuthenticationRequiredException>(async () => await credential.GetTokenAsync(new TokenRequestContext(scopes), timeout.Token));
            Assert.DoesNotContain(transport.Requests, r => r.Uri.Contains("/oauth2/v2.0/devicecode"));
            await Assert.ThrowsAnyAsync<Exception>(async () => await credential.AuthenticateAsync(new TokenRequestContext(scopes), timeout.Token));

            var deviceCode = transport.Requests.Single(r => r.Uri.Contains("/oauth2/v2.0/devicecode"));
            Assert.StartsWith("https://login.microsoftonline.com/contoso.onmicrosoft.com/", deviceCode.Uri);
            var form = deviceCode.Form;
            Assert.Equal("14d82eec-204b-4c2f-b7e8-296a70dab67e", form["client_id"]);
            var asked = form["scope"].Split(' ');
            foreach (var scope in scopes) Assert.Contains(scope, asked);
            // Besides them only what MSAL always adds for a user sign-in.
            Assert.Empty(asked.Except(scopes).Except(new[] { "openid", "profile", "offline_access" }));
        }

        private sealed class StubCredential : TokenCredential
        {
            private readonly Func<AccessToken> _answer;
            public StubCredential(Func<AccessToken> answer) => _answer = answer;
            public int Calls { get; private set; }
            public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) { Calls++; return _answer(); }
            public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));
        }

        private sealed class RecordedRequest
        {
            public string Uri;
            public Dictionary<string, string> Form = new Dictionary<string, string>();
        }

        /// <summary>Answers the authority's metadata as Entra would and refuses the device code request, recording both.</summary>
        private sealed class RecordingTransport : HttpPipelineTransport
        {
            public List<RecordedRequest> Requests { get; } = new List<RecordedRequest>();

            public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

            public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

            public override async ValueTask ProcessAsync(HttpMessage message)
            {
                var recorded = new RecordedRequest { Uri = message.Request.Uri.ToString() };
                if (message.Request.Content != null)
                {
                    using var buffer = new MemoryStream();
                    await message.Request.Content.WriteToAsync(buffer, CancellationToken.None);
                    foreach (var pair in Encoding.UTF8.GetString(buffer.ToArray()).Split('&', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var parts = pair.Split('=', 2);
                        recorded.Form[WebUtility.UrlDecode(parts[0])] = parts.Length > 1 ? WebUtility.UrlDecode(parts[1]) : "";
                    }
                }
                lock (Requests) Requests.Add(recorded);

                var body = recorded.Uri.Contains("/discovery/instance")
                    ? "{\"tenant_discovery_endpoint\":\"https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{\"preferred_network\":\"login.microsoftonline.com\",\"preferred_cache\":\"login.windows.net\",\"aliases\":[\"login.microsoftonline.com\",\"login.windows.net\",\"login.microsoft.com\",\"sts.windows.net\"]}]}"
                    : "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS00000: refused by the test transport.\"}";
                message.Response = new StubResponse(recorded.Uri.Contains("/discovery/instance") ? 200 : 400, body);
            }
        }

        private sealed class StubResponse : Azure.Response
        {
            private readonly Dictionary<string, string> _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
            public StubResponse(int status, string body)
            {
                Status = status;
                ContentStream = new MemoryStream(Encoding.UTF8.GetBytes(body));
            }
            public override int Status { get; }
            public override string ReasonPhrase => Status == 200 ? "OK" : "Bad Request";
            public override Stream ContentStream { get; set; }
            public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();
            public override void Dispose() { }
            protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);
            protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));
            protected override bool TryGetHeader(string name, out string value) => _headers.TryGetValue(name, out value);
            protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
            {
                var found = _headers.TryGetValue(name, out var value);
                values = found ? new[] { value } : null;
                return found;
            }
        }
    }
}
