using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// New-DropzoneExoRoleAssignment: gives the app's Exchange service principal the management role
    /// (Transport Hygiene by default: the quarantine cmdlets), unless it has it already.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "DropzoneExoRoleAssignment", SupportsShouldProcess = true)]
    [OutputType(typeof(ExchangeRoleAssignmentResult))]
    public sealed class NewDropzoneExoRoleAssignment : ExchangeCmdlet
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Role { get; set; } = ExchangeSteps.DefaultRole;

        protected override void ProcessRecordCore()
        {
            var exchange = new ExchangeLookup(ConnectedExchange(), ApplicationId, Role);
            var assigned = TransportHygieneStep.Run(StepHost, exchange, Retry, out var servicePrincipal);
            if (assigned.Outcome == ExchangeOutcome.Declined) return;
            WriteObject(new ExchangeRoleAssignmentResult
            {
                Name = assigned.Value.Name,
                Role = Role,
                AppId = ApplicationId,
                ObjectId = servicePrincipal.ObjectId,
                Status = Enums.Convert<ExchangeStepStatus>(assigned.Outcome),
            });
        }
    }
}
