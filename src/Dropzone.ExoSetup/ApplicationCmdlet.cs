using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Planning;

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

        /// <summary>Asks -WhatIf/-Confirm about each planned change; returns the approved ones.</summary>
        internal List<PlannedChange> Approve(IEnumerable<PlannedChange> changes) =>
            changes.Where(c => ShouldProcess(c.Target, c.Action)).ToList();

        internal static DateTimeOffset Now => DateTimeOffset.UtcNow;
    }
}
