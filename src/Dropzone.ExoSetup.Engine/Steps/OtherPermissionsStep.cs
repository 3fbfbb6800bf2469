using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// Test-DropzoneExoIntegration: the application permissions the app asks of every API (its
    /// requiredResourceAccess, type Role) that have no admin consent, i.e. no app role assignment to
    /// the app's service principal (resources/approleassignment.md). The vendor's set-up adds Microsoft
    /// Graph, Microsoft Defender for Endpoint (WindowsDefenderATP) and Defender for Cloud Apps
    /// permissions by hand, and consent is often forgotten. A Warn per API; Exchange.ManageAsApp is
    /// the ConsentGranted check's own (a Fail there). Delegated permissions (type Scope) are not checked.
    /// </summary>
    public static class OtherPermissionsStep
    {
        /// <summary>The APIs whose service principals the check must read to name their permissions.</summary>
        public static IReadOnlyList<Guid> ApisToRead(ApplicationState state) =>
            Others(state).Select(r => r.ResourceAppId).ToList();

        public static IEnumerable<CheckResult> Check(ApplicationState state, IReadOnlyDictionary<Guid, ResourceApi> apis)
        {
            var others = Others(state);
            if (others.Count == 0)
            {
                yield return CheckResult.Pass(SetupCheck.OtherPermissionsConsent, "The app asks no other application permission than Exchange.ManageAsApp.");
                yield break;
            }
            var remedy = state.ServicePrincipal == null
                ? $"Grant-DropzoneExoPermission -ApplicationId {state.AppId} creates the app's service principal; then, in the Entra admin center: App registrations > {state.DisplayName} > API permissions > Grant admin consent."
                : $"In the Entra admin center: App registrations > {state.DisplayName} > API permissions > Grant admin consent (Privileged Role Administrator for Microsoft Graph; Cloud Application Administrator or Application Administrator for other APIs).";
            var consented = 0;
            var warned = false;
            foreach (var (resourceAppId, roleIds) in others)
            {
                apis.TryGetValue(resourceAppId, out var api);
                if (api == null)
                {
                    warned = true;
                    yield return CheckResult.Warn(SetupCheck.OtherPermissionsConsent,
                        $"The app asks {roleIds.Count} application permission(s) of the API {resourceAppId}, which has no service principal in this tenant: none of them can have admin consent.",
                        "Grant admin consent in the Entra admin center (App registrations > API permissions), which adds the API to the tenant; or remove the permissions if the vendor no longer lists them.");
                    continue;
                }
                var missing = state.ServicePrincipal == null ? roleIds.ToList() : roleIds.Where(r => !state.HasAssignment(api.ObjectId, r)).ToList();
                consented += roleIds.Count - missing.Count;
                if (missing.Count == 0) continue;
                warned = true;
                yield return CheckResult.Warn(SetupCheck.OtherPermissionsConsent,
                    $"{api.DisplayName}: {string.Join(", ", missing.Select(api.RoleName))} {(missing.Count == 1 ? "has" : "have")} no admin consent.", remedy);
            }
            if (!warned)
                yield return CheckResult.Pass(SetupCheck.OtherPermissionsConsent,
                    $"Every other application permission the app asks ({consented}, of {string.Join(", ", others.Select(o => apis[o.ResourceAppId].DisplayName))}) has admin consent.");
        }

        // The Role permissions on requiredResourceAccess, Exchange.ManageAsApp left out (ConsentGranted's).
        private static IReadOnlyList<(Guid ResourceAppId, IReadOnlyList<Guid> RoleIds)> Others(ApplicationState state) =>
            state.RequestedAppRoles
                .Select(r => (r.ResourceAppId, (IReadOnlyList<Guid>)r.RoleIds.Where(id => !(r.ResourceAppId == WellKnown.ExchangeOnlineAppId && id == WellKnown.ManageAsAppRoleId)).ToList()))
                .Where(r => r.Item2.Count > 0)
                .ToList();
    }
}
