using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Get-DropzoneOrganizationId: the tenant's initial *.onmicrosoft.com domain, which the vendor's
    /// UI calls "Organization ID" (and what Connect-ExchangeOnline -Organization takes for app-only sign-in).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DropzoneOrganizationId")]
    [OutputType(typeof(string))]
    public sealed class GetDropzoneOrganizationId : DropzoneCmdlet
    {
        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var organization = Run(cancel => graph.Gateway.GetOrganizationAsync(cancel));
            WriteObject(OrganizationIdStep.Require(organization));
        }
    }
}
