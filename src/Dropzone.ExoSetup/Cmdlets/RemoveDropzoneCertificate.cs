using System;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Remove-DropzoneCertificate: removes one certificate from the app registration (by thumbprint
    /// or keyId) and keeps all the others, e.g. the old one after the vendor rotated its certificate.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "DropzoneCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ThumbprintSet)]
    [OutputType(typeof(DropzoneCertificate))]
    public sealed class RemoveDropzoneCertificate : ApplicationCmdlet
    {
        private const string ThumbprintSet = "Thumbprint";
        private const string KeyIdSet = "KeyId";

        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Thumbprint { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = KeyIdSet, ValueFromPipelineByPropertyName = true)]
        public Guid KeyId { get; set; }

        /// <summary>Write the removed certificate to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(ApplicationId, ApplicationParts.Application, cancel));
            var change = ApplicationPlanner.PlanRemoveCertificate(state, ParameterSetName == ThumbprintSet ? Thumbprint : null,
                ParameterSetName == KeyIdSet ? (Guid?)KeyId : null);
            if (Approve(new[] { change }).Count == 0) return;
            Run(cancel => graph.Gateway.ApplyAsync(state, new[] { change }, cancel));
            if (PassThru)
                WriteObject(DropzoneCertificate.From(state.AppId, state.Certificates.First(c => c.KeyId == change.KeyId), Now));
        }
    }
}
