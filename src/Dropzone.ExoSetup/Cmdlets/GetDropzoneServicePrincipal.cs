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
                ?? throw new DropzoneException(ErrorIds.ServicePrincipalNotFound, ErrorKind.NotFound,
                    $"The application {ApplicationId} has no service principal (Enterprise application) in this tenant.",
                    $"Run Grant-DropzoneExoPermission -ApplicationId {ApplicationId}: it creates the service principal and grants consent.", ApplicationId);
            WriteObject(DropzoneServicePrincipal.From(found));
        }
    }
}
