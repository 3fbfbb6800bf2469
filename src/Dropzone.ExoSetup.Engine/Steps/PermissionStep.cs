using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>Where Exchange.ManageAsApp stands after the permission step (the module's PermissionGrantStatus has the same names).</summary>
    public enum PermissionGrant
    {
        Granted,
        AlreadyGranted,
        RequestedOnly,
    }

    /// <summary>What the permission and consent step did.</summary>
    public sealed class PermissionOutcome
    {
        public bool Requested { get; internal set; }
        public bool Consented { get; internal set; }

        /// <summary>The app's service principal: the one that existed or the one just created.</summary>
        public string ServicePrincipalId { get; internal set; }

        public PermissionGrant Grant { get; internal set; }

        /// <summary>Done, AlreadyDone, or Skipped (a change was declined): for Install's summary.</summary>
        public StepStatus Status { get; internal set; }

        public string Detail { get; internal set; }

        /// <summary>How often consent was sent while Entra ID replicated a new service principal; empty when once.</summary>
        public string Retries { get; internal set; }
    }

    /// <summary>
    /// Step 2, Exchange.ManageAsApp with the service principal and admin consent: the one routine
    /// behind Grant-DropzoneExoPermission, Install- and Test-DropzoneExoIntegration.
    /// </summary>
    public static class PermissionStep
    {
        /// <summary>Grant-DropzoneExoPermission: read, plan, approve, write. Null when nothing is written (all declined, or -WhatIf).</summary>
        public static PermissionOutcome Grant(IStepHost host, GraphGateway gateway, Guid appId, bool skipConsent, TimeSpan replicationTimeout)
        {
            var plan = host.Run(cancel => GraphSetupPlan.CreateAsync(gateway, appId, ApplicationParts.Consent, null, null, false,
                permission: true, skipConsent, cancel));
            var written = EntraSteps.ApproveAndWrite(host, gateway, plan, replicationTimeout);
            if (written == null) return null;
            var outcome = Outcome(written);
            if (outcome.Retries.Length > 0) host.Log.Verbose(outcome.Retries.Trim());
            return outcome;
        }

        /// <summary>What became of the permission in a write of the Entra ID steps (alone, or with the certificate in Install).</summary>
        public static PermissionOutcome Outcome(EntraWrite write)
        {
            var state = write.Plan.State;
            var planned = write.Plan.PermissionChanges;
            var approved = planned.Where(write.Approved.Contains).ToList();
            var applied = write.Applied;
            var outcome = new PermissionOutcome
            {
                Requested = state.PermissionRequested || approved.Any(c => c.Kind == ChangeKind.RequestPermission),
                Consented = state.PermissionConsented || approved.Any(c => c.Kind == ChangeKind.GrantConsent),
                ServicePrincipalId = applied.ServicePrincipalId,
                Retries = applied.ReplicationRetries > 0
                    ? $" Consent was sent {applied.ReplicationRetries + 1} times over {applied.ReplicationWait.TotalSeconds:0.#} s while Entra ID replicated the new service principal."
                    : string.Empty,
            };
            // A service principal or consent Graph reported as existing (409, "already exists") changed nothing.
            var made = approved.Where(c => !applied.AlreadyDone.Contains(c)).ToList();
            outcome.Grant = !outcome.Consented ? PermissionGrant.RequestedOnly
                : made.Count == 0 ? PermissionGrant.AlreadyGranted
                : PermissionGrant.Granted;
            if (approved.Count < planned.Count)
            {
                outcome.Status = StepStatus.Skipped;
                outcome.Detail = "Declined: " + string.Join("; ", planned.Where(c => !approved.Contains(c)).Select(c => c.Action)) + ".";
            }
            else if (made.Count == 0)
            {
                outcome.Status = StepStatus.AlreadyDone;
                outcome.Detail = $"{WellKnown.ManageAsAppRoleName} is requested and consented." +
                    (applied.AlreadyDone.Count > 0 ? $" Already there: {string.Join("; ", applied.AlreadyDone.Select(c => c.Action))}." : string.Empty);
            }
            else
            {
                outcome.Status = StepStatus.Done;
                outcome.Detail = string.Join("; ", made.Select(c => c.Action)) + "." + outcome.Retries;
            }
            return outcome;
        }

        /// <summary>Test-DropzoneExoIntegration: requested, and consented (the planner decides what "in place" means, as for Install).</summary>
        public static IEnumerable<CheckResult> Check(ApplicationState state, TimeSpan waited)
        {
            var id = state.AppId;
            var missing = ApplicationPlanner.PlanPermission(state, skipConsent: false).Select(c => c.Kind).ToList();
            yield return missing.Contains(ChangeKind.RequestPermission)
                ? CheckResult.Fail(SetupCheck.PermissionRequested, $"{WellKnown.ManageAsAppRoleName} of Office 365 Exchange Online is not among the app's API permissions.", $"Grant-DropzoneExoPermission -ApplicationId {id}")
                : CheckResult.Pass(SetupCheck.PermissionRequested, $"{WellKnown.ManageAsAppRoleName} (application permission) is requested.");
            yield return missing.Contains(ChangeKind.GrantConsent)
                ? CheckResult.Fail(SetupCheck.ConsentGranted, "Admin consent to Exchange.ManageAsApp has not been granted.", $"Grant-DropzoneExoPermission -ApplicationId {id}")
                : state.ConsentNotYetReadable
                    ? CheckResult.Fail(SetupCheck.ConsentGranted, $"This session granted admin consent to the service principal {state.ServicePrincipal?.ObjectId}, but after {waited.TotalSeconds:0} s reads still do not show it: Entra ID is still replicating, or it was removed since.",
                        $"Run Test-DropzoneExoIntegration -ApplicationId {id} again in a few minutes; if it still fails, Grant-DropzoneExoPermission -ApplicationId {id}")
                    : CheckResult.Pass(SetupCheck.ConsentGranted, $"Admin consent is granted to the service principal {state.ServicePrincipal?.ObjectId}.");
        }
    }
}
