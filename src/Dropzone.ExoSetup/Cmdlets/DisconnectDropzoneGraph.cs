using System.Management.Automation;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>Disconnect-DropzoneGraph: forgets this session's Graph connection (nothing changes in the tenant).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "DropzoneGraph")]
    [OutputType(typeof(GraphContext))]
    public sealed class DisconnectDropzoneGraph : DropzoneCmdlet
    {
        /// <summary>Return the context that was disconnected.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            var removed = GraphSessions.Remove();
            if (removed == null)
            {
                WriteVerbose("Not connected to Microsoft Graph: nothing to disconnect.");
                return;
            }
            WriteVerbose($"Disconnected from tenant {removed.TenantId}.");
            if (PassThru) WriteObject(GraphContext.From(removed));
        }
    }
}
