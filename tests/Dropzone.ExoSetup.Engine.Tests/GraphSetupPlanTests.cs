using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Planning;
using TenantEmulator;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>
    /// The Entra ID half of the set-up against the tenant emulator (in-process, real HTTP), counted
    /// from its request log: round trips are the requests that reached the wire (a $batch counts
    /// once), requests are the Graph operations (each step of a batch counts).
    /// </summary>
    public sealed class GraphSetupPlanTests : IAsyncLifetime
    {
        private static readonly Guid DropzoneAppId = new Guid("a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e");
        private EmulatorHost _host;
        private GraphConnection _graph;

        public async Task InitializeAsync()
        {
            _host = await EmulatorHost.StartAsync(EmulatorStore.FromFile(TenantFile("default")));
            _graph = await GraphConnector.ConnectAsync(new SignInRequest
            {
                Method = SignInMethod.AccessToken,
                AccessToken = TokenTests.Secure("test-token"),
                GraphEndpoint = _host.BaseUri,
            }, CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            _graph.Dispose();
            await _host.DisposeAsync();
        }

        private async Task<GraphSetupPlan> SetUp(VendorCertificate certificate)
        {
            var plan = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, certificate, "Dropzone AI", false, CancellationToken.None);
            await _graph.Gateway.ApplyAsync(plan.State, plan.Changes, CancellationToken.None);
            return plan;
        }

        private (int RoundTrips, int Requests, int Writes) Count()
        {
            var log = _host.Store.Log.Entries();
            var roundTrips = log.Count(e => !e.InBatch);
            var operations = log.Where(e => e.InBatch || e.Path != "/v1.0/$batch").ToList();
            return (roundTrips, operations.Count, operations.Count(e => e.Method != "GET"));
        }

        [Fact]
        public async Task On_a_fresh_tenant_the_whole_graph_setup_takes_three_round_trips_and_nine_requests_the_check_of_the_write_included()
        {
            var certificate = CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow);
            _host.Store.Log.Clear();

            var plan = await SetUp(certificate);

            Assert.Equal(new[] { ChangeKind.AddCertificate, ChangeKind.RequestPermission, ChangeKind.CreateServicePrincipal, ChangeKind.GrantConsent },
                plan.Changes.Select(c => c.Kind));
            Assert.Equal("contoso.onmicrosoft.com", plan.State.Organization.InitialDomain);
            var (roundTrips, requests, writes) = Count();
            Assert.True(roundTrips <= 3, $"{roundTrips} round trips");
            Assert.True(requests <= 9, $"{requests} requests");
            Assert.Equal(3, writes);
            // The read that checks the PATCH travels with the consent, in the last round trip.
            var log = _host.Store.Log.Entries();
            var last = log.Last(e => !e.InBatch);
            Assert.Contains(log, e => e.BatchSequence == last.Sequence && e.Method == "GET" && e.Path.StartsWith("/v1.0/applications"));
        }

        [Fact]
        public async Task On_a_tenant_where_all_is_done_it_is_one_round_trip_and_no_write()
        {
            var certificate = CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow);
            await SetUp(certificate);
            _host.Store.Log.Clear();

            var again = await SetUp(certificate);

            Assert.Empty(again.Changes);
            Assert.NotNull(again.ExistingCertificate);
            Assert.True(again.State.PermissionConsented);
            var (roundTrips, _, writes) = Count();
            Assert.Equal(1, roundTrips);
            Assert.Equal(0, writes);
        }

        [Fact]
        public async Task With_the_service_principal_already_there_the_writes_share_one_round_trip_and_the_check_takes_one_more()
        {
            using (var http = new System.Net.Http.HttpClient { BaseAddress = _host.BaseUri })
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-token");
                var created = await http.PostAsync("/v1.0/servicePrincipals",
                    new System.Net.Http.StringContent($"{{\"appId\":\"{DropzoneAppId}\"}}", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            }
            _host.Store.Log.Clear();

            var plan = await SetUp(CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow));

            Assert.DoesNotContain(plan.Changes, c => c.Kind == ChangeKind.CreateServicePrincipal);
            var (roundTrips, _, writes) = Count();
            Assert.Equal(3, roundTrips);
            Assert.Equal(2, writes);
            var check = _host.Store.Log.Entries().Last();
            Assert.Equal("GET", check.Method);
            Assert.StartsWith("/v1.0/applications", check.Path);
        }

        [Fact]
        public async Task Consent_granted_by_someone_else_between_read_and_write_counts_as_done()
        {
            var plan = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow), "Dropzone AI", false, CancellationToken.None);
            var created = await _graph.Gateway.ApplyAsync(plan.State, plan.Changes.Where(c => c.Kind == ChangeKind.CreateServicePrincipal).ToList(), CancellationToken.None);
            var again = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow), "Dropzone AI", false, CancellationToken.None);
            Assert.Contains(again.Changes, c => c.Kind == ChangeKind.GrantConsent);

            // Another admin consents in the portal after our read.
            using (var http = new System.Net.Http.HttpClient { BaseAddress = _host.BaseUri })
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-token");
                var body = $"{{\"principalId\":\"{created.ServicePrincipalId}\",\"resourceId\":\"{again.State.ExchangeResource.ObjectId}\",\"appRoleId\":\"{Model.WellKnown.ManageAsAppRoleId}\"}}";
                var granted = await http.PostAsync($"/v1.0/servicePrincipals/{again.State.ExchangeResource.ObjectId}/appRoleAssignedTo", new System.Net.Http.StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(System.Net.HttpStatusCode.Created, granted.StatusCode);
            }
            _host.Store.Log.Clear();

            var result = await _graph.Gateway.ApplyAsync(again.State, again.Changes, CancellationToken.None);

            var consent = _host.Store.Log.Entries().Single(e => e.Method == "POST" && e.Path.EndsWith("/appRoleAssignedTo"));
            Assert.Equal(400, consent.Status);
            Assert.Equal(new[] { ChangeKind.GrantConsent }, result.AlreadyDone.Select(c => c.Kind));
            var final = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow), "Dropzone AI", false, CancellationToken.None);
            Assert.True(final.State.PermissionConsented);
        }

        [Fact]
        public async Task With_a_replication_delay_consent_is_sent_again_until_entra_id_knows_the_new_principal_and_the_retries_are_counted()
        {
            lock (_host.Store.Gate) _host.Store.ReplicationDelay = TimeSpan.FromSeconds(3);
            var certificate = CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow);
            _host.Store.Log.Clear();

            var plan = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, certificate, "Dropzone AI", false, CancellationToken.None);
            var result = await _graph.Gateway.ApplyAsync(plan.State, plan.Changes, TimeSpan.FromSeconds(30), CancellationToken.None);

            var consents = _host.Store.Log.Entries().Where(e => e.Method == "POST" && e.Path.EndsWith("/appRoleAssignedTo")).ToList();
            Assert.True(result.ReplicationRetries >= 1, $"{result.ReplicationRetries} retries");
            Assert.Equal(result.ReplicationRetries + 1, consents.Count);
            Assert.All(consents.Take(consents.Count - 1), c => Assert.Equal(400, c.Status));
            Assert.Equal(201, consents.Last().Status);
            Assert.Empty(result.AlreadyDone);
            var (roundTrips, _, writes) = Count();
            // The 3 round trips of a fresh tenant, plus one per retry: counted, not hidden.
            Assert.Equal(3 + result.ReplicationRetries, roundTrips);
            Assert.Equal(3 + result.ReplicationRetries, writes);
            lock (_host.Store.Gate) Assert.Single(_host.Store.Collection("appRoleAssignments").OfType<System.Text.Json.Nodes.JsonObject>(), a => (string)a["principalId"] == result.ServicePrincipalId);
        }

        [Fact]
        public async Task A_service_principal_created_by_someone_else_after_the_read_is_AlreadyDone_not_a_change()
        {
            var plan = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow), "Dropzone AI", false, CancellationToken.None);
            using (var http = new System.Net.Http.HttpClient { BaseAddress = _host.BaseUri })
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-token");
                var created = await http.PostAsync("/v1.0/servicePrincipals", new System.Net.Http.StringContent($"{{\"appId\":\"{DropzoneAppId}\"}}", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            }

            var result = await _graph.Gateway.ApplyAsync(plan.State, plan.Changes, CancellationToken.None);

            Assert.Equal(new[] { ChangeKind.CreateServicePrincipal }, result.AlreadyDone.Select(c => c.Kind));
            Assert.Contains(_host.Store.Log.Entries(), e => e.Method == "POST" && e.Path == "/v1.0/servicePrincipals" && e.Status == 409);
            var final = await GraphSetupPlan.CreateAsync(_graph.Gateway, DropzoneAppId, CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow), "Dropzone AI", false, CancellationToken.None);
            Assert.Equal(result.ServicePrincipalId, final.State.ServicePrincipal.ObjectId);
            Assert.True(final.State.PermissionConsented);
        }

        internal static string TenantFile(string name)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "TenantEmulator", "tenants", name + ".json");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"tenant file {name}.json not found above {AppContext.BaseDirectory}");
        }
    }
}
