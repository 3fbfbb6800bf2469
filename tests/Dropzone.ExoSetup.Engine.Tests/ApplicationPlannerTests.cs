using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Microsoft.Graph.Models;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class ApplicationPlannerTests
    {
        private static readonly Guid AppId = Guid.NewGuid();
        private static readonly Guid GraphAppId = new Guid("00000003-0000-0000-c000-000000000000");
        private const string ExchangeSpId = "3b7c9e21-5d4f-4a8b-9c6e-2f1a0b3c4d5e";
        private const string ClientSpId = "4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d";

        internal static KeyCredential Existing(string name)
        {
            var certificate = TestCertificates.Valid();
            return new KeyCredential
            {
                KeyId = Guid.NewGuid(), Key = certificate.RawData, DisplayName = name, Type = "AsymmetricX509Cert", Usage = "Verify",
                StartDateTime = certificate.NotBefore.ToUniversalTime(), EndDateTime = certificate.NotAfter.ToUniversalTime(),
                CustomKeyIdentifier = Convert.FromHexString(certificate.Thumbprint),
            };
        }

        internal static ApplicationState State(IEnumerable<KeyCredential> keys = null, IEnumerable<RequiredResourceAccess> permissions = null,
            bool servicePrincipal = true, bool exchange = true, bool consented = false, bool createdByModule = false, bool otherAssignments = true)
        {
            var application = new Application
            {
                Id = Guid.NewGuid().ToString(), AppId = AppId.ToString(), DisplayName = "Dropzone AI",
                KeyCredentials = (keys ?? Enumerable.Empty<KeyCredential>()).ToList(),
                RequiredResourceAccess = (permissions ?? Enumerable.Empty<RequiredResourceAccess>()).ToList(),
            };
            var sp = servicePrincipal ? new ServicePrincipal { Id = ClientSpId, AppId = AppId.ToString(), DisplayName = "Dropzone AI",
                Tags = createdByModule ? new List<string> { WellKnown.CreatedByTag } : new List<string>() } : null;
            var exo = exchange ? new ServicePrincipal
            {
                Id = ExchangeSpId, AppId = WellKnown.ExchangeOnlineAppId.ToString(), DisplayName = "Office 365 Exchange Online",
                AppRoles = new List<AppRole> { new AppRole { Id = WellKnown.ManageAsAppRoleId, Value = "Exchange.ManageAsApp" } },
            } : null;
            var assignments = new List<AppRoleAssignment>();
            if (otherAssignments) assignments.Add(new AppRoleAssignment { Id = "other", ResourceId = Guid.NewGuid(), AppRoleId = Guid.NewGuid(), PrincipalId = Guid.Parse(ClientSpId) });
            if (consented) assignments.Add(new AppRoleAssignment { Id = "mine", ResourceId = Guid.Parse(ExchangeSpId), AppRoleId = WellKnown.ManageAsAppRoleId, PrincipalId = Guid.Parse(ClientSpId) });
            return new ApplicationState(application, sp, exo, assignments, null);
        }

        private static KeyCredential Expired(string name)
        {
            var certificate = TestCertificates.Create(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddDays(-3));
            return new KeyCredential
            {
                KeyId = Guid.NewGuid(), Key = certificate.RawData, DisplayName = name, Type = "AsymmetricX509Cert", Usage = "Verify",
                StartDateTime = certificate.NotBefore.ToUniversalTime(), EndDateTime = certificate.NotAfter.ToUniversalTime(),
            };
        }

        [Fact]
        public void Expired_certificates_are_kept_by_default()
        {
            var expired = Expired("Dropzone AI");
            var change = ApplicationPlanner.PlanAddCertificate(State(new[] { expired }), Vendor(), "Dropzone AI", out _);
            Assert.Contains(change.KeyCredentials, k => k.KeyId == expired.KeyId);
            Assert.Empty(change.RemovedCertificates);
        }

        [Fact]
        public void RemoveExpired_drops_only_the_expired_certificates_in_the_same_write_and_names_them()
        {
            var valid = Existing("Mail archiver");
            var expired = Expired("Dropzone AI");
            var state = State(new[] { valid, expired });

            var change = ApplicationPlanner.PlanAddCertificate(state, Vendor(), "Dropzone AI", removeExpired: true, DateTimeOffset.UtcNow, out _);

            Assert.Equal(ChangeKind.AddCertificate, change.Kind);
            Assert.Equal(new[] { valid.KeyId, change.KeyId }, change.KeyCredentials.Select(k => k.KeyId));
            Assert.Equal(JsonSerializer.Serialize(valid.Key), JsonSerializer.Serialize(change.KeyCredentials[0].Key));
            var removed = Assert.Single(change.RemovedCertificates);
            Assert.Equal(expired.KeyId, removed.KeyId);
            Assert.Contains(removed.Thumbprint, change.Action);
            Assert.Contains("1 expired certificate(s)", change.Action);
        }

        [Fact]
        public void RemoveExpired_with_the_vendor_certificate_already_there_is_a_removal_of_its_own_or_nothing()
        {
            var vendor = Vendor();
            var ours = new KeyCredential { KeyId = Guid.NewGuid(), Key = vendor.RawData, DisplayName = "Dropzone AI", Type = "AsymmetricX509Cert", Usage = "Verify",
                StartDateTime = vendor.NotBefore, EndDateTime = vendor.NotAfter };
            var expired = Expired("Old");

            var removal = ApplicationPlanner.PlanAddCertificate(State(new[] { ours, expired }), vendor, "Dropzone AI", true, DateTimeOffset.UtcNow, out var existing);
            var nothing = ApplicationPlanner.PlanAddCertificate(State(new[] { ours }), vendor, "Dropzone AI", true, DateTimeOffset.UtcNow, out _);

            Assert.Equal(ChangeKind.RemoveCertificate, removal.Kind);
            Assert.Equal(ours.KeyId, existing.KeyId);
            Assert.Equal(new[] { ours.KeyId }, removal.KeyCredentials.Select(k => k.KeyId));
            Assert.Null(nothing);
        }

        internal static VendorCertificate Vendor() =>
            CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow);

        [Fact]
        public void Adding_the_certificate_keeps_every_existing_certificate_exactly_and_appends_ours()
        {
            var a = Existing("Mail archiver");
            var b = Existing("Reporting");
            var vendor = Vendor();
            var change = ApplicationPlanner.PlanAddCertificate(State(new[] { a, b }), vendor, "Dropzone AI", out var existing);

            Assert.Null(existing);
            Assert.Equal(ChangeKind.AddCertificate, change.Kind);
            Assert.Equal(3, change.KeyCredentials.Count);
            foreach (var (original, sent) in new[] { (a, change.KeyCredentials[0]), (b, change.KeyCredentials[1]) })
            {
                Assert.Equal(original.KeyId, sent.KeyId);
                Assert.Equal(original.Key, sent.Key);
                Assert.Equal(original.DisplayName, sent.DisplayName);
                Assert.Equal(original.StartDateTime, sent.StartDateTime);
                Assert.Equal(original.EndDateTime, sent.EndDateTime);
                Assert.Equal(original.CustomKeyIdentifier, sent.CustomKeyIdentifier);
            }
            var ours = change.KeyCredentials[2];
            Assert.Equal(("AsymmetricX509Cert", "Verify", "Dropzone AI"), (ours.Type, ours.Usage, ours.DisplayName));
            Assert.Equal(vendor.RawData, ours.Key);
            Assert.Equal((vendor.NotBefore, vendor.NotAfter), (ours.StartDateTime.Value, ours.EndDateTime.Value));
            Assert.Equal(change.KeyId, ours.KeyId);
        }

        [Fact]
        public void The_patch_body_carries_every_field_of_the_certificates_it_keeps()
        {
            // The SDK sends only the properties set on an object; objects read from Graph would go
            // back empty. The plan must hold fresh, fully set copies.
            var kept = Existing("Mail archiver");
            var change = ApplicationPlanner.PlanAddCertificate(State(new[] { kept }), Vendor(), "Dropzone AI", out _);
            // Serialized as the gateway sends it: through the Graph client's request adapter.
            var client = new Microsoft.Graph.GraphServiceClient(new System.Net.Http.HttpClient(), new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider(), "https://graph.example/v1.0");
            var request = client.Applications["id"].ToPatchRequestInformation(new Application { KeyCredentials = change.KeyCredentials });
            var json = new System.IO.StreamReader(request.Content).ReadToEnd();
            using var doc = JsonDocument.Parse(json);
            var first = doc.RootElement.GetProperty("keyCredentials")[0];
            Assert.Equal(kept.KeyId.ToString(), first.GetProperty("keyId").GetString());
            Assert.Equal(Convert.ToBase64String(kept.Key), first.GetProperty("key").GetString());
            Assert.Equal("Mail archiver", first.GetProperty("displayName").GetString());
            Assert.Equal(kept.EndDateTime, first.GetProperty("endDateTime").GetDateTimeOffset());
            Assert.Equal("AsymmetricX509Cert", first.GetProperty("type").GetString());
        }

        [Fact]
        public void A_certificate_already_on_the_app_plans_nothing_and_names_the_existing_one()
        {
            var vendor = Vendor();
            var ours = new KeyCredential { KeyId = Guid.NewGuid(), Key = vendor.RawData, DisplayName = "Dropzone AI", Type = "AsymmetricX509Cert", Usage = "Verify" };
            var change = ApplicationPlanner.PlanAddCertificate(State(new[] { Existing("x"), ours }), vendor, "Dropzone AI", out var existing);
            Assert.Null(change);
            Assert.Equal(ours.KeyId, existing.KeyId);
        }

        [Fact]
        public void An_existing_certificate_whose_key_was_not_returned_stops_the_plan_rather_than_drop_it()
        {
            var unreadable = Existing("Legacy");
            unreadable.Key = null;
            var error = Assert.Throws<DropzoneException>(() => ApplicationPlanner.PlanAddCertificate(State(new[] { unreadable }), Vendor(), "Dropzone AI", out _));
            Assert.Equal(ErrorIds.ExistingCertificateUnreadable, error.ErrorId);
        }

        [Fact]
        public void Removing_a_certificate_by_thumbprint_or_keyId_keeps_all_others()
        {
            var a = Existing("a");
            var b = Existing("b");
            var c = Existing("c");
            var state = State(new[] { a, b, c });

            var byThumbprint = ApplicationPlanner.PlanRemoveCertificate(state, CertificateReader.ThumbprintOf(b.Key).ToLowerInvariant(), null);
            Assert.Equal(new[] { a.KeyId, c.KeyId }, byThumbprint.KeyCredentials.Select(k => k.KeyId));
            var byKeyId = ApplicationPlanner.PlanRemoveCertificate(state, null, a.KeyId);
            Assert.Equal(new[] { b.KeyId, c.KeyId }, byKeyId.KeyCredentials.Select(k => k.KeyId));
            Assert.Equal(c.Key, byKeyId.KeyCredentials[1].Key);

            var error = Assert.Throws<DropzoneException>(() => ApplicationPlanner.PlanRemoveCertificate(state, null, Guid.NewGuid()));
            Assert.Equal(ErrorIds.CertificateNotFound, error.ErrorId);
        }

        [Fact]
        public void Requesting_the_permission_keeps_every_other_api_and_permission()
        {
            var graph = new RequiredResourceAccess { ResourceAppId = GraphAppId.ToString(), ResourceAccess = new List<ResourceAccess> { new ResourceAccess { Id = Guid.NewGuid(), Type = "Role" }, new ResourceAccess { Id = Guid.NewGuid(), Type = "Scope" } } };
            var changes = ApplicationPlanner.PlanPermission(State(permissions: new[] { graph }, consented: true), skipConsent: false);

            var request = Assert.Single(changes);
            Assert.Equal(ChangeKind.RequestPermission, request.Kind);
            Assert.Equal(2, request.RequiredResourceAccess.Count);
            Assert.Equal(graph.ResourceAccess.Select(a => (a.Id, a.Type)), request.RequiredResourceAccess[0].ResourceAccess.Select(a => (a.Id, a.Type)));
            var exchange = request.RequiredResourceAccess[1];
            Assert.Equal(WellKnown.ExchangeOnlineAppId.ToString(), exchange.ResourceAppId);
            Assert.Equal((WellKnown.ManageAsAppRoleId, "Role"), (exchange.ResourceAccess.Single().Id.Value, exchange.ResourceAccess.Single().Type));
        }

        [Fact]
        public void Another_exchange_permission_gets_ours_beside_it_in_the_same_entry()
        {
            var fullAccess = new Guid("dc890d15-9560-4a4c-9b7f-a736ec74ec40");
            var exchange = new RequiredResourceAccess { ResourceAppId = WellKnown.ExchangeOnlineAppId.ToString(), ResourceAccess = new List<ResourceAccess> { new ResourceAccess { Id = fullAccess, Type = "Role" } } };
            var request = ApplicationPlanner.PlanPermission(State(permissions: new[] { exchange }, consented: true), false).Single();
            var entry = Assert.Single(request.RequiredResourceAccess);
            Assert.Equal(new[] { fullAccess, WellKnown.ManageAsAppRoleId }, entry.ResourceAccess.Select(a => a.Id.Value));
        }

        [Fact]
        public void Everything_in_place_plans_nothing()
        {
            var exchange = new RequiredResourceAccess { ResourceAppId = WellKnown.ExchangeOnlineAppId.ToString(), ResourceAccess = new List<ResourceAccess> { new ResourceAccess { Id = WellKnown.ManageAsAppRoleId, Type = "Role" } } };
            var state = State(permissions: new[] { exchange }, consented: true);
            Assert.True(state.PermissionRequested);
            Assert.True(state.PermissionConsented);
            Assert.Empty(ApplicationPlanner.PlanPermission(state, false));
        }

        [Fact]
        public void An_app_without_service_principal_gets_one_created_then_consent()
        {
            var kinds = ApplicationPlanner.PlanPermission(State(servicePrincipal: false), false).Select(c => c.Kind);
            Assert.Equal(new[] { ChangeKind.RequestPermission, ChangeKind.CreateServicePrincipal, ChangeKind.GrantConsent }, kinds);
        }

        [Fact]
        public void SkipConsent_requests_and_creates_the_service_principal_but_grants_nothing()
        {
            var kinds = ApplicationPlanner.PlanPermission(State(servicePrincipal: false), true).Select(c => c.Kind);
            Assert.Equal(new[] { ChangeKind.RequestPermission, ChangeKind.CreateServicePrincipal }, kinds);
        }

        [Fact]
        public void Consent_cannot_be_planned_without_exchange_online_in_the_tenant()
        {
            var error = Assert.Throws<DropzoneException>(() => ApplicationPlanner.PlanPermission(State(exchange: false), false));
            Assert.Equal(ErrorIds.ExchangeResourceNotFound, error.ErrorId);
        }

        private static RequiredResourceAccess ExchangeEntry(params Guid[] roles) => new RequiredResourceAccess
        {
            ResourceAppId = WellKnown.ExchangeOnlineAppId.ToString(),
            ResourceAccess = roles.Select(r => new ResourceAccess { Id = r, Type = "Role" }).ToList(),
        };

        [Fact]
        public void Uninstall_removes_only_the_modules_certificate_permission_and_consent()
        {
            var other = Existing("Mail archiver");
            var ours = Existing("Dropzone AI");
            var fullAccess = new Guid("dc890d15-9560-4a4c-9b7f-a736ec74ec40");
            var graph = new RequiredResourceAccess { ResourceAppId = GraphAppId.ToString(), ResourceAccess = new List<ResourceAccess> { new ResourceAccess { Id = Guid.NewGuid(), Type = "Role" } } };
            var state = State(new[] { other, ours }, new[] { graph, ExchangeEntry(fullAccess, WellKnown.ManageAsAppRoleId) }, consented: true);

            var changes = ApplicationPlanner.PlanUninstall(state, null, keepCertificate: false);

            Assert.Equal(new[] { ChangeKind.RevokeConsent, ChangeKind.RemovePermission, ChangeKind.RemoveCertificate }, changes.Select(c => c.Kind));
            Assert.Equal("mine", changes[0].AssignmentId);
            var permissions = changes[1].RequiredResourceAccess;
            Assert.Equal(2, permissions.Count);
            Assert.Equal(new[] { fullAccess }, permissions[1].ResourceAccess.Select(a => a.Id.Value));
            Assert.Equal(new[] { other.KeyId }, changes[2].KeyCredentials.Select(k => k.KeyId));
        }

        [Fact]
        public void Uninstall_drops_the_exchange_entry_it_leaves_empty_and_keeps_certificates_when_asked()
        {
            var state = State(new[] { Existing("Dropzone AI") }, new[] { ExchangeEntry(WellKnown.ManageAsAppRoleId) });
            var changes = ApplicationPlanner.PlanUninstall(state, null, keepCertificate: true);
            var removal = Assert.Single(changes);
            Assert.Equal(ChangeKind.RemovePermission, removal.Kind);
            Assert.Empty(removal.RequiredResourceAccess);
        }

        [Fact]
        public void Uninstall_removes_the_certificates_named_by_thumbprint_whatever_their_name()
        {
            var renamed = Existing("Vendor cert 2027");
            var other = Existing("Dropzone AI");
            var change = ApplicationPlanner.PlanUninstall(State(new[] { renamed, other }), new[] { CertificateReader.ThumbprintOf(renamed.Key) }, false).Single();
            Assert.Equal(new[] { other.KeyId }, change.KeyCredentials.Select(k => k.KeyId));
        }

        [Theory]
        [InlineData(true, false, true)]
        [InlineData(false, false, false)]
        [InlineData(true, true, false)]
        public void Uninstall_deletes_the_service_principal_only_when_the_module_made_it_and_nothing_else_uses_it(bool createdByModule, bool otherAssignments, bool deleted)
        {
            var changes = ApplicationPlanner.PlanUninstall(State(consented: true, createdByModule: createdByModule, otherAssignments: otherAssignments), null, false);
            Assert.Equal(deleted, changes.Any(c => c.Kind == ChangeKind.DeleteServicePrincipal));
        }

        [Fact]
        public void Uninstall_of_nothing_plans_nothing()
        {
            Assert.Empty(ApplicationPlanner.PlanUninstall(State(new[] { Existing("Mail archiver") }, otherAssignments: false), null, false));
        }

        [Fact]
        public void Consent_is_dropped_when_the_service_principal_it_needs_was_declined()
        {
            var state = State(servicePrincipal: false);
            var planned = ApplicationPlanner.PlanPermission(state, false);
            var approved = planned.Where(c => c.Kind != ChangeKind.CreateServicePrincipal).ToList();
            Assert.Equal(new[] { ChangeKind.RequestPermission }, ApplicationPlanner.WithoutUnmetDependencies(state, approved).Select(c => c.Kind));
            Assert.Equal(3, ApplicationPlanner.WithoutUnmetDependencies(state, planned.ToList()).Count);
        }
    }
}
