using System;
using System.Management.Automation;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// A cmdlet that works on one app registration, named by its Application (client) ID, taken
    /// from the pipeline by value or by property name so that the module's cmdlets chain.
    /// </summary>
    public abstract class ApplicationCmdlet : DropzoneCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("AppId", "ClientId")]
        public Guid ApplicationId { get; set; }

        protected override object ErrorTarget => ApplicationId;
    }
}
