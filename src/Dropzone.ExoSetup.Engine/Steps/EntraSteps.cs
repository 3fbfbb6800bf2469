using System;
using System.Collections.Generic;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>What a run of the Entra ID steps wrote: the plan, what was approved, what Graph answered.</summary>
    public sealed class EntraWrite
    {
        internal EntraWrite(GraphSetupPlan plan, List<PlannedChange> approved, ApplyResult applied)
        {
            Plan = plan;
            Approved = approved;
            Applied = applied;
        }

        public GraphSetupPlan Plan { get; }
        public List<PlannedChange> Approved { get; }
        public ApplyResult Applied { get; }

        /// <summary>Changes were planned and every one was declined: nothing was written.</summary>
        public bool Declined => Plan.Changes.Count > 0 && Approved.Count == 0;
    }

    /// <summary>
    /// Approving and writing the Entra ID steps (certificate, permission and consent), written once
    /// for the step cmdlets and Install: one question per change, then one write of all approved
    /// changes (GraphGateway.ApplyAsync batches them).
    /// </summary>
    public static class EntraSteps
    {
        /// <summary>
        /// Asks about each planned change; drops consent when the service principal it needs was
        /// declined. Null under -WhatIf: nothing is to be written.
        /// </summary>
        public static List<PlannedChange> Approve(IStepHost host, GraphSetupPlan plan)
        {
            var approved = ApplicationPlanner.WithoutUnmetDependencies(plan.State, host.Approve(plan.Changes));
            return host.WhatIfRequested ? null : approved;
        }

        /// <summary>
        /// Writes the approved changes (nothing when there are none), waiting up to
        /// <paramref name="replicationTimeout"/> for a new service principal (the gateway's default
        /// when null); <paramref name="alongside"/> runs on the caller's thread while the writes are
        /// in flight, only when there are writes. <paramref name="servicePrincipalKnown"/> is told the
        /// service principal's id as soon as work needing it may start (GraphGateway.ApplyAsync), and
        /// null when the write ends without one.
        /// </summary>
        public static EntraWrite Write(IStepHost host, GraphGateway gateway, GraphSetupPlan plan, List<PlannedChange> approved,
            TimeSpan? replicationTimeout, Action alongside = null, Action<string> servicePrincipalKnown = null)
        {
            var timeout = replicationTimeout ?? gateway.ReplicationTimeout;
            var applied = approved.Count == 0
                ? new ApplyResult(plan.State.ServicePrincipal?.ObjectId)
                : host.Run(async cancel =>
                {
                    try
                    {
                        return await gateway.ApplyAsync(plan.State, approved, timeout, cancel, servicePrincipalKnown).ConfigureAwait(false);
                    }
                    finally
                    {
                        // Whatever happened, nothing more will be learnt: a step waiting for the id goes on.
                        servicePrincipalKnown?.Invoke(null);
                    }
                }, alongside);
            return new EntraWrite(plan, approved, applied);
        }

        /// <summary>The step cmdlets' run: approve, then write; null when nothing is to be written (-WhatIf, or all declined).</summary>
        public static EntraWrite ApproveAndWrite(IStepHost host, GraphGateway gateway, GraphSetupPlan plan, TimeSpan? replicationTimeout)
        {
            var approved = Approve(host, plan);
            if (approved == null || (plan.Changes.Count > 0 && approved.Count == 0)) return null;
            return Write(host, gateway, plan, approved, replicationTimeout);
        }
    }
}
