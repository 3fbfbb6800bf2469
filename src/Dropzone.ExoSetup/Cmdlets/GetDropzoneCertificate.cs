using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>Get-DropzoneCertificate: the certificates on the app registration, with thumbprints and days left.</summary>
    [Cmdlet(VerbsCommon.Get, "DropzoneCertificate")]
    [OutputType(typeof(DropzoneCertificate))]
    public sealed class GetDropzoneCertificate : ApplicationCmdlet
    {
        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(ApplicationId, ApplicationParts.Application, cancel));
            foreach (var certificate in state.Certificates)
                WriteObject(DropzoneCertificate.From(state.AppId, certificate, Now));
        }
    }
}
