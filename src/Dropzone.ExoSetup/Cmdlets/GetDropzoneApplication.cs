using System;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Get-DropzoneApplication: the app registration (by Application (client) ID, or by display name,
    /// 'Dropzone AI' by default) with its certificates, its service principal and whether
    /// Exchange.ManageAsApp is requested and consented.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DropzoneApplication", DefaultParameterSetName = ByNameSet)]
    [OutputType(typeof(DropzoneApplication))]
    public sealed class GetDropzoneApplication : DropzoneCmdlet
    {
        private const string ByNameSet = "ByDisplayName";
        private const string ByIdSet = "ByApplicationId";

        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("AppId", "ClientId")]
        public Guid ApplicationId { get; set; }

        [Parameter(ParameterSetName = ByNameSet, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string DisplayName { get; set; } = WellKnown.DefaultDisplayName;

        protected override object ErrorTarget => ParameterSetName == ByIdSet ? (object)ApplicationId : DisplayName;

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var appId = ParameterSetName == ByNameSet
                ? Run(cancel => graph.Gateway.ResolveApplicationAsync(DisplayName, cancel))
                : ApplicationId;
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(appId, ApplicationParts.Consent, cancel));
            WriteObject(DropzoneApplication.From(state, DateTimeOffset.UtcNow));
        }
    }
}
