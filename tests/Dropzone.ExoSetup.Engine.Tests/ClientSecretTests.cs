using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Dropzone.ExoSetup.Engine.Steps;
using Microsoft.Graph.Models;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>Test-'s client secret check, the removal plan, and the Dropzone UI form's values.</summary>
    public class ClientSecretTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        private static readonly Guid GraphAppId = new Guid("00000003-0000-0000-c000-000000000000");
        private const string ExchangeSpId = "3b7c9e21-5d4f-4a8b-9c6e-2f1a0b3c4d5e";
        private const string ClientSpId = "4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d";
        private const string GraphSpId = "8e4a2c6d-1f3b-4d5e-a7c9-0b1d2e3f4a5b";
        private static readonly Guid MailRead = new Guid("810c84a8-4a9e-49e6-bf7d-12d183f40d01");
        private static readonly Guid UserReadAll = new Guid("df021288-bdef-4463-88db-98f22de89214");

        private static PasswordCredential Secret(string name, int startDaysAgo, int? endsInDays, string hint = "abc") => new PasswordCredential
        {
            KeyId = Guid.NewGuid(), DisplayName = name, Hint = hint,
            StartDateTime = Now.AddDays(-startDaysAgo), EndDateTime = endsInDays.HasValue ? Now.AddDays(endsInDays.Value) : (DateTimeOffset?)null,
        };

        private static ApplicationState State(IEnumerable<PasswordCredential> secrets = null, IEnumerable<RequiredResourceAccess> permissions = null,
            IEnumerable<AppRoleAssignment> assignments = null, bool servicePrincipal = true, OrganizationInfo organization = null)
        {
            var application = new Application
            {
                Id = Guid.NewGuid().ToString(), AppId = Guid.NewGuid().ToString(), DisplayName = "Dropzone AI",
                PasswordCredentials = (secrets ?? Enumerable.Empty<PasswordCredential>()).ToList(),
                RequiredResourceAccess = (permissions ?? Enumerable.Empty<RequiredResourceAccess>()).ToList(),
            };
            var sp = servicePrincipal ? new ServicePrincipal { Id = ClientSpId, AppId = application.AppId, DisplayName = "Dropzone AI" } : null;
            var exo = new ServicePrincipal { Id = ExchangeSpId, AppId = WellKnown.ExchangeOnlineAppId.ToString(), DisplayName = "Office 365 Exchange Online" };
            return new ApplicationState(application, sp, exo, (assignments ?? Enumerable.Empty<AppRoleAssignment>()).ToList(), organization);
        }

        [Fact]
        public void A_secret_valid_for_a_year_passes()
        {
            var check = ClientSecretStep.Check(State(new[] { Secret("Dropzone AI", 365, 365) }), Now);

            Assert.Equal(SetupCheck.ClientSecretExpiry, check.Check);
            Assert.Equal(CheckStatus.Pass, check.Status);
            Assert.Contains("365 more days", check.Detail);
        }

        [Fact]
        public void A_secret_expiring_in_ten_days_warns_with_the_days_left_and_the_rotation()
        {
            var check = ClientSecretStep.Check(State(new[] { Secret("Dropzone AI", 720, 10, hint: "Q7x") }), Now);

            Assert.Equal(CheckStatus.Warn, check.Status);
            Assert.Contains("expires in 10 day(s)", check.Detail);
            Assert.Contains("hint Q7x", check.Detail);
            Assert.Contains("New-DropzoneClientSecret", check.Remediation);
            Assert.Contains("Remove-DropzoneClientSecret", check.Remediation);
        }

        [Fact]
        public void An_expired_secret_beside_a_newer_valid_one_warns_and_names_the_expired_one()
        {
            var old = Secret("Old secret", 800, -70, hint: "old");
            var check = ClientSecretStep.Check(State(new[] { old, Secret("Dropzone AI", 70, 660, hint: "new") }), Now);

            Assert.Equal(CheckStatus.Warn, check.Status);
            Assert.Contains("still authenticates with 'Dropzone AI' (hint new", check.Detail);
            Assert.Contains(old.KeyId.ToString(), check.Detail);
            Assert.Contains("-Expired", check.Remediation);
        }

        [Fact]
        public void Every_secret_expired_fails_with_the_remedy()
        {
            var check = ClientSecretStep.Check(State(new[] { Secret("a", 800, -70), Secret("b", 400, -1) }), Now);

            Assert.Equal(CheckStatus.Fail, check.Status);
            Assert.Contains("Every client secret on the app has expired", check.Detail);
            Assert.Contains("New-DropzoneClientSecret -AsPlainText", check.Remediation);
            Assert.Contains("paste it into the Dropzone AI UI", check.Remediation);
        }

        [Fact]
        public void No_secret_is_not_a_failure_and_says_a_certificate_only_set_up_needs_none()
        {
            var check = ClientSecretStep.Check(State(), Now);

            Assert.Equal(CheckStatus.Pass, check.Status);
            Assert.Contains("certificate-only set-up needs none", check.Detail);
        }

        [Fact]
        public void Removal_of_a_key_the_app_does_not_hold_fails_before_anything_is_planned()
        {
            var state = State(new[] { Secret("a", 10, 100) });
            var unknown = Guid.NewGuid();

            var e = Assert.Throws<DropzoneException>(() => ClientSecretStep.PlanRemove(state, new[] { state.ClientSecrets[0].KeyId, unknown }, false, Now));

            Assert.Equal(ErrorIds.ClientSecretNotFound, e.ErrorId);
            Assert.Contains(unknown.ToString(), e.Message);
            Assert.Contains("Nothing was removed", e.Message);
        }

        [Fact]
        public void Removal_of_expired_secrets_plans_only_the_expired_ones()
        {
            var state = State(new[] { Secret("old", 800, -70), Secret("older", 900, -170), Secret("valid", 10, 100) });

            var plan = ClientSecretStep.PlanRemove(state, new Guid[0], expired: true, Now);

            Assert.Equal(new[] { "old", "older" }, plan.Select(c => c.ClientSecret.DisplayName));
            Assert.All(plan, c => Assert.Equal(ChangeKind.RemoveClientSecret, c.Kind));
            Assert.All(plan, c => Assert.Contains("(expired)", c.Action));
        }

        [Fact]
        public void The_form_holds_the_three_ids_and_the_newest_secrets_hint_and_expiry_under_the_UIs_labels()
        {
            var state = State(new[] { Secret("old", 800, -70, hint: "old"), Secret("new", 10, 700, hint: "new") },
                organization: new OrganizationInfo("6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60", "Contoso", "contoso.onmicrosoft.com"));

            var form = DropzoneForm.From(state);
            var check = form.ToCheck();

            Assert.Equal(state.AppId, form.ApplicationClientId);
            Assert.Equal("6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60", form.DirectoryTenantId);
            Assert.Equal("contoso.onmicrosoft.com", form.OrganizationId);
            Assert.Equal("new", form.ClientSecretHint);
            Assert.Equal(Now.AddDays(700), form.ClientSecretExpires);
            Assert.Equal(CheckStatus.Pass, check.Status);
            Assert.Same(form, check.Form);
            Assert.Contains($"Application (client) ID: {state.AppId}", check.Detail);
            Assert.Contains("Directory (tenant) ID: 6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60", check.Detail);
            Assert.Contains("Organization ID: contoso.onmicrosoft.com", check.Detail);
        }

        [Fact]
        public void Unconsented_permissions_of_other_apis_warn_per_api_and_name_each_permission()
        {
            var defenderAppId = new Guid("fc780465-2017-40d4-a0c5-307022471b92");
            var alertRead = Guid.NewGuid();
            var state = State(
                permissions: new[]
                {
                    Access(GraphAppId, UserReadAll, MailRead),
                    Access(WellKnown.ExchangeOnlineAppId, WellKnown.ManageAsAppRoleId),
                    Access(defenderAppId, alertRead),
                },
                assignments: new[] { new AppRoleAssignment { Id = "x", ResourceId = Guid.Parse(GraphSpId), AppRoleId = UserReadAll, PrincipalId = Guid.Parse(ClientSpId) } });
            var apis = new Dictionary<Guid, ResourceApi>
            {
                [GraphAppId] = new ResourceApi(GraphAppId, GraphSpId, "Microsoft Graph", new Dictionary<Guid, string> { [UserReadAll] = "User.Read.All", [MailRead] = "Mail.Read" }),
                [defenderAppId] = new ResourceApi(defenderAppId, Guid.NewGuid().ToString(), "WindowsDefenderATP", new Dictionary<Guid, string> { [alertRead] = "Alert.Read.All" }),
            };

            var checks = OtherPermissionsStep.Check(state, apis).ToList();

            Assert.Equal(new[] { GraphAppId, defenderAppId }.OrderBy(g => g),
                OtherPermissionsStep.ApisToRead(state).OrderBy(g => g));
            Assert.Equal(2, checks.Count);
            Assert.All(checks, c => Assert.Equal(CheckStatus.Warn, c.Status));
            Assert.Equal("Microsoft Graph: Mail.Read has no admin consent.", checks[0].Detail);
            Assert.Equal("WindowsDefenderATP: Alert.Read.All has no admin consent.", checks[1].Detail);
            Assert.Contains("Grant admin consent", checks[0].Remediation);
        }

        [Fact]
        public void Other_permissions_all_consented_pass_and_manage_as_app_is_left_to_its_own_check()
        {
            var state = State(
                permissions: new[] { Access(GraphAppId, UserReadAll), Access(WellKnown.ExchangeOnlineAppId, WellKnown.ManageAsAppRoleId) },
                assignments: new[] { new AppRoleAssignment { Id = "x", ResourceId = Guid.Parse(GraphSpId), AppRoleId = UserReadAll, PrincipalId = Guid.Parse(ClientSpId) } });
            var apis = new Dictionary<Guid, ResourceApi>
            {
                [GraphAppId] = new ResourceApi(GraphAppId, GraphSpId, "Microsoft Graph", new Dictionary<Guid, string> { [UserReadAll] = "User.Read.All" }),
            };

            var check = Assert.Single(OtherPermissionsStep.Check(state, apis));

            Assert.Equal(CheckStatus.Pass, check.Status);
            Assert.Contains("(1, of Microsoft Graph)", check.Detail);
        }

        [Fact]
        public void A_permission_of_an_api_missing_from_the_tenant_warns()
        {
            var missingApi = Guid.NewGuid();
            var state = State(permissions: new[] { Access(missingApi, Guid.NewGuid()) });

            var check = Assert.Single(OtherPermissionsStep.Check(state, new Dictionary<Guid, ResourceApi>()));

            Assert.Equal(CheckStatus.Warn, check.Status);
            Assert.Contains(missingApi.ToString(), check.Detail);
            Assert.Contains("no service principal in this tenant", check.Detail);
        }

        private static RequiredResourceAccess Access(Guid api, params Guid[] roles) => new RequiredResourceAccess
        {
            ResourceAppId = api.ToString(),
            ResourceAccess = roles.Select(r => new ResourceAccess { Id = r, Type = "Role" }).ToList(),
        };
    }
}
