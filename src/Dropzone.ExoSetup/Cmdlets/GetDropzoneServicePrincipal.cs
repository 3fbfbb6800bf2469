using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Get-DropzoneServicePrincipal: the app's Enterprise application: AppId, ObjectId (the
    /// vendor's "object-spid", never the app registration's id) and DisplayName, the parameters of
    /// Exchange Online's New-ServicePrincipal.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DropzoneServicePrincipal")]
    [OutputType(typeof(DropzoneServicePrincipal))]
    public sealed class GetDropzoneServicePrincipal : ApplicationCmdlet
    {
        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            // One this session created moments ago is returned by the id its creation gave, though reads may not show it yet.
            var found = Run(cancel => graph.Gateway.FindKnownServicePrincipalAsync(ApplicationId, cancel))
                ?? throw DropzoneErrors.ServicePrincipalNotFound(ApplicationId);
            WriteObject(DropzoneServicePrincipal.From(found));
        }
    }
}
