using System;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Steps;

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
            var wait = TimeSpan.FromSeconds(Math.Min(TimeoutSeconds, 60));
            var registered = ExchangeServicePrincipalStep.Run(StepHost, graph.Gateway, exchange, DisplayName, Retry, wait, out var enterprise);
            if (registered.Outcome == ExchangeOutcome.Declined) return;
            WriteObject(new ExchangeServicePrincipalResult
            {
                AppId = ApplicationId,
                ObjectId = enterprise.ObjectId,
                DisplayName = registered.Outcome == ExchangeOutcome.Created ? registered.Value.DisplayName ?? DisplayName ?? enterprise.DisplayName : registered.Value.DisplayName,
                Status = Enums.Convert<ExchangeStepStatus>(registered.Outcome),
            });
        }
    }
}
