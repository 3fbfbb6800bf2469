using System;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// New-DropzoneExoServicePrincipal: registers the app's Enterprise application in Exchange Online
    /// (New-ServicePrincipal with the service principal's object id, never the app registration's),
    /// unless Exchange has it already.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "DropzoneExoServicePrincipal", SupportsShouldProcess = true)]
    [OutputType(typeof(ExchangeServicePrincipalResult))]
    public sealed class NewDropzoneExoServicePrincipal : ExchangeCmdlet
    {
        /// <summary>The name Exchange shows; the Enterprise application's by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string DisplayName { get; set; }

        protected override void ProcessRecordCore()
        {
            var exchange = new ExchangeLookup(ConnectedExchange(), ApplicationId);
            var graph = RequireGraph();
            // A service principal created moments ago (Grant-DropzoneExoPermission) may not be readable yet.
            // Exchange's service principals are read here meanwhile.
            var wait = TimeSpan.FromSeconds(Math.Min(TimeoutSeconds, 60));
            var servicePrincipal = Run(cancel => graph.Gateway.FindKnownServicePrincipalAsync(ApplicationId, wait, cancel),
                () => exchange.ReadAhead(namedAssignment: false))
                ?? throw DropzoneErrors.ServicePrincipalNotFoundForExchange(ApplicationId);
            var displayName = DisplayName ?? servicePrincipal.DisplayName;

            var existing = exchange.Registered;
            var change = ExchangeSteps.PlanServicePrincipal(existing, servicePrincipal, displayName);
            var result = new ExchangeServicePrincipalResult { AppId = ApplicationId, ObjectId = servicePrincipal.ObjectId };
            if (change == null)
            {
                result.DisplayName = existing.DisplayName;
                result.Status = ExchangeStepStatus.AlreadyExists;
                WriteObject(result);
                return;
            }
            if (Approve(new[] { change }).Count == 0) return;
            var created = ExchangeSteps.CreateServicePrincipal(exchange.Gateway, servicePrincipal, displayName, Retry, new DirectLog(this), StopToken);
            result.DisplayName = created.DisplayName ?? displayName;
            result.Status = ExchangeStepStatus.Created;
            WriteObject(result);
        }
    }
}
