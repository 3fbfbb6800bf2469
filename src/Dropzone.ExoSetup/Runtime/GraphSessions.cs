using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Dropzone.ExoSetup.Engine.Connection;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// The Graph connection of each runspace. A connection belongs to the PowerShell session that
    /// made it, so parallel runspaces (ForEach-Object -Parallel, jobs) can work on different tenants.
    /// </summary>
    internal static class GraphSessions
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> ByRunspace = new ConditionalWeakTable<Runspace, Holder>();
        private static readonly object Gate = new object();
        private static readonly List<Holder> All = new List<Holder>();

        private sealed class Holder
        {
            public GraphConnection Connection;
        }

        public static GraphConnection Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && ByRunspace.TryGetValue(runspace, out var holder) ? holder.Connection : null;
            }
        }

        /// <summary>Makes <paramref name="connection"/> the runspace's connection and closes the one it replaces.</summary>
        public static void Set(GraphConnection connection)
        {
            var holder = ByRunspace.GetValue(Runspace.DefaultRunspace, _ => NewHolder());
            var previous = holder.Connection;
            holder.Connection = connection;
            if (previous != null && !ReferenceEquals(previous, connection)) previous.Dispose();
        }

        /// <summary>Closes the runspace's connection; returns what it was connected to, or null.</summary>
        public static GraphContextInfo Remove()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null || !ByRunspace.TryGetValue(runspace, out var holder) || holder.Connection == null) return null;
            var connection = holder.Connection;
            holder.Connection = null;
            connection.Dispose();
            return connection.Context;
        }

        /// <summary>When the module is removed: close every runspace's connection.</summary>
        public static void DisconnectAll()
        {
            lock (Gate)
            {
                foreach (var holder in All)
                {
                    holder.Connection?.Dispose();
                    holder.Connection = null;
                }
                All.Clear();
            }
        }

        private static Holder NewHolder()
        {
            var holder = new Holder();
            lock (Gate) All.Add(holder);
            return holder;
        }
    }
}
