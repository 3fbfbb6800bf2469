using System;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Exchange;

namespace Dropzone.ExoSetup
{
    /// <summary>A cmdlet that runs an Exchange Online step for one app: it waits out replication up to -TimeoutSeconds.</summary>
    public abstract class ExchangeCmdlet : ApplicationCmdlet
    {
        /// <summary>How long to keep retrying while Exchange does not know the new service principal yet.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 300;

        internal ReplicationRetry Retry => new ReplicationRetry { Timeout = TimeSpan.FromSeconds(TimeoutSeconds) };
    }
}
