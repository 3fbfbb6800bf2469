using System;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Remove-DropzoneClientSecret: removes client secrets from the app registration (Graph
    /// removePassword), by keyId or every expired one, and keeps every other secret and certificate.
    /// A keyId the app does not hold is an error before anything is removed.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "DropzoneClientSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = KeyIdSet)]
    [OutputType(typeof(DropzoneClientSecret))]
    public sealed class RemoveDropzoneClientSecret : ApplicationCmdlet
    {
        private const string KeyIdSet = "KeyId";
        private const string ExpiredSet = "Expired";

        [Parameter(Mandatory = true, ParameterSetName = KeyIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public Guid[] KeyId { get; set; }

        /// <summary>Remove every expired secret (none is an error: there is nothing to do).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ExpiredSet)]
        public SwitchParameter Expired { get; set; }

        /// <summary>Write the removed secrets to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var now = Now;
            var removed = ClientSecretStep.Remove(StepHost, graph.Gateway, ApplicationId,
                ParameterSetName == KeyIdSet ? KeyId : new Guid[0], Expired, now);
            if (PassThru)
                WriteObject(removed.Select(s => DropzoneClientSecret.From(ApplicationId, s, now)), enumerateCollection: true);
        }
    }
}
