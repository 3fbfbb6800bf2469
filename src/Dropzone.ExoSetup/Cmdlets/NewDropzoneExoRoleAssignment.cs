using System;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Exchange;

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
            var servicePrincipal = exchange.Registered ?? throw Engine.Errors.DropzoneErrors.ExchangeServicePrincipalMissing(ApplicationId);
            var existing = exchange.Assignment(servicePrincipal);
            var result = new ExchangeRoleAssignmentResult { Role = Role, AppId = ApplicationId, ObjectId = servicePrincipal.ObjectId };
            if (existing != null)
            {
                result.Name = existing.Name;
                result.Status = ExchangeStepStatus.AlreadyExists;
                WriteObject(result);
                return;
            }
            var change = ExchangeSteps.PlanRoleAssignment(existing, servicePrincipal, Role);
            if (Approve(new[] { change }).Count == 0) return;
            var created = ExchangeSteps.CreateRoleAssignment(exchange.Gateway, Role, servicePrincipal, Retry, new DirectLog(this), StopToken);
            result.Name = created.Name;
            result.Status = ExchangeStepStatus.Created;
            WriteObject(result);
        }
    }
}
