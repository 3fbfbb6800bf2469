using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using TenantEmulator;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>
    /// What the many-tenant run (issue 22) will stand on, checked with the real sign-in libraries
    /// against the emulator's identity platform endpoints: one device code sign-in as the partner,
    /// then each customer tenant's token silently (MSAL's refresh token at that tenant's authority),
    /// and a tenant that never consented answering AADSTS65001 without prompting again.
    /// </summary>
    public sealed class PartnerSignInTests : IAsyncLifetime
    {
        private const string Contoso = "6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60";
        private const string Fabrikam = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        private const string Northwind = "8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e";
        private static readonly string[] Scopes = { "https://graph.microsoft.com/.default" };
        private EmulatorHost _host;
        private System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
        private int _prompts;

        public async Task InitializeAsync()
        {
            _certificate = EntraAuthority.NewCertificate();
            _host = await EmulatorHost.StartAsync(EmulatorStore.FromFile(TenantFile("default")), authorityCertificate: _certificate);
            using var http = new HttpClient { BaseAddress = _host.BaseUri };
            foreach (var (id, name) in new[] { (Fabrikam, "fabrikam"), (Northwind, "northwind") })
            {
                var tenant = JsonNode.Parse(File.ReadAllText(TenantFile("default"))).AsObject();
                tenant["tenantId"] = id;
                tenant["organization"]["id"] = id;
                tenant["domains"] = new JsonArray(new JsonObject { ["id"] = $"{name}.onmicrosoft.com", ["isInitial"] = true, ["isVerified"] = true });
                (await http.PostAsync("/_emulator/tenants", new StringContent(tenant.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            }
            (await http.PutAsync("/_emulator/authority", new StringContent(new JsonObject { ["consentRequiredIn"] = new JsonArray(Northwind) }.ToJsonString()))).EnsureSuccessStatusCode();
        }

        public async Task DisposeAsync() => await _host.DisposeAsync();

        private static string TenantFile(string name)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "TenantEmulator", "tenants", name + ".json");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException(name);
        }

        private DeviceCodeCredential Partner() => new DeviceCodeCredential(new DeviceCodeCredentialOptions
        {
            AuthorityHost = _host.AuthorityUri,
            DisableInstanceDiscovery = true,
            TenantId = "organizations",
            ClientId = Planning.RequiredPermissions.GraphCommandLineToolsClientId,
            AdditionallyAllowedTenants = { "*" },
            // One sign-in: a tenant whose silent token fails must not prompt again.
            DisableAutomaticAuthentication = true,
            DeviceCodeCallback = (code, cancel) => { _prompts++; return Task.CompletedTask; },
            // This test process trusts the emulator's certificate only (a test run sets SSL_CERT_FILE instead).
            Transport = new HttpClientTransport(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => cert?.Thumbprint == _certificate.Thumbprint,
            }),
        });

        private static string TenantOf(AccessToken token) =>
            Connection.TokenClaims.TryParse(token.Token).TenantId;

        [Fact]
        public async Task One_device_code_sign_in_then_each_customer_tenants_token_silently()
        {
            var credential = Partner();
            await credential.AuthenticateAsync(new TokenRequestContext(Scopes));

            var partner = await credential.GetTokenAsync(new TokenRequestContext(Scopes));
            var fabrikam = await credential.GetTokenAsync(new TokenRequestContext(Scopes, tenantId: Fabrikam));

            Assert.Equal(1, _prompts);
            Assert.Equal(Contoso, TenantOf(partner));
            Assert.Equal(Fabrikam, TenantOf(fabrikam));
        }

        [Fact]
        public async Task A_tenant_that_never_consented_fails_with_AADSTS65001_and_prompts_no_one()
        {
            var credential = Partner();
            await credential.AuthenticateAsync(new TokenRequestContext(Scopes));

            var e = await Assert.ThrowsAnyAsync<Exception>(() => credential.GetTokenAsync(new TokenRequestContext(Scopes, tenantId: Northwind)).AsTask());

            Assert.Equal(1, _prompts);
            Assert.Contains("AADSTS65001", e.ToString());
            Assert.IsType<AuthenticationRequiredException>(e);
            Assert.Equal(Errors.ErrorIds.TenantConsentRequired, Errors.DropzoneErrors.TenantSignInFailed(Northwind, e).ErrorId);
        }

        [Fact]
        public async Task A_tenant_the_authority_does_not_know_is_TenantNotFound()
        {
            var credential = Partner();
            await credential.AuthenticateAsync(new TokenRequestContext(Scopes));

            var e = await Assert.ThrowsAnyAsync<Exception>(() => credential.GetTokenAsync(new TokenRequestContext(Scopes, tenantId: Guid.NewGuid().ToString())).AsTask());

            Assert.Equal(Errors.ErrorIds.TenantNotFound, Errors.DropzoneErrors.TenantSignInFailed("x", e).ErrorId);
        }
    }
}
