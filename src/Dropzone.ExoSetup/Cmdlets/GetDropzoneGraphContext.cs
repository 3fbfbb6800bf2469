using System.Management.Automation;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>Get-DropzoneGraphContext: this session's Graph connection, or nothing when not connected.</summary>
    [Cmdlet(VerbsCommon.Get, "DropzoneGraphContext")]
    [OutputType(typeof(GraphContext))]
    public sealed class GetDropzoneGraphContext : DropzoneCmdlet
    {
        protected override void ProcessRecordCore()
        {
            var connection = GraphSessions.Current;
            if (connection != null) WriteObject(GraphContext.From(connection.Context));
        }
    }
}
