using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Grant-DropzoneExoPermission: requests the application permission Exchange.ManageAsApp of
    /// Office 365 Exchange Online (keeping every other permission), creates the app's service
    /// principal when it has none, and grants admin consent unless -SkipConsent.
    /// </summary>
    [Cmdlet(VerbsSecurity.Grant, "DropzoneExoPermission", SupportsShouldProcess = true)]
    [OutputType(typeof(PermissionGrantResult))]
    public sealed class GrantDropzoneExoPermission : ApplicationCmdlet
    {
        /// <summary>Only request the permission; an admin grants consent later (e.g. in the portal).</summary>
        [Parameter]
        public SwitchParameter SkipConsent { get; set; }

        /// <summary>How long consent is retried while Entra ID replicates a service principal created moments ago.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 300;

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(ApplicationId, ApplicationParts.Consent, cancel));
            var planned = ApplicationPlanner.PlanPermission(state, SkipConsent);
            var approved = ApplicationPlanner.WithoutUnmetDependencies(state, Approve(planned));
            if (planned.Count > 0 && approved.Count == 0) return;

            var applied = Run(cancel => graph.Gateway.ApplyAsync(state, approved, System.TimeSpan.FromSeconds(TimeoutSeconds), cancel));
            if (applied.ReplicationRetries > 0)
                WriteVerbose($"Consent was sent {applied.ReplicationRetries + 1} times over {applied.ReplicationWait.TotalSeconds:0.#} s while Entra ID replicated the new service principal.");
            var requested = state.PermissionRequested || approved.Any(c => c.Kind == ChangeKind.RequestPermission);
            var consented = state.PermissionConsented || approved.Any(c => c.Kind == ChangeKind.GrantConsent);
            WriteObject(new PermissionGrantResult
            {
                ApplicationId = state.AppId,
                Permission = WellKnown.ManageAsAppRoleName,
                Requested = requested,
                Consented = consented,
                ServicePrincipalId = applied.ServicePrincipalId,
                Status = !consented ? PermissionGrantStatus.RequestedOnly
                    // A service principal or consent Graph reported as existing (409, "already exists") changed nothing.
                    : approved.All(applied.AlreadyDone.Contains) ? PermissionGrantStatus.AlreadyGranted
                    : PermissionGrantStatus.Granted,
            });
        }
    }
}
