using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Steps;

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
            var outcome = PermissionStep.Grant(StepHost, graph.Gateway, ApplicationId, SkipConsent, System.TimeSpan.FromSeconds(TimeoutSeconds));
            if (outcome == null) return;
            WriteObject(new PermissionGrantResult
            {
                ApplicationId = ApplicationId,
                Permission = WellKnown.ManageAsAppRoleName,
                Requested = outcome.Requested,
                Consented = outcome.Consented,
                ServicePrincipalId = outcome.ServicePrincipalId,
                Status = Enums.Convert<PermissionGrantStatus>(outcome.Grant),
            });
        }
    }
}
