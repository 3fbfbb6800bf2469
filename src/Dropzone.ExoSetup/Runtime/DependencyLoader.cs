using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// Loads the engine and everything it depends on (Microsoft.Graph, Azure.Identity, MSAL, Kiota,
    /// IdentityModel) from dependencies/ into a load context owned by this module, so that other
    /// versions of the same assemblies already loaded by Az.Accounts, Microsoft.Graph PowerShell or
    /// ExchangeOnlineManagement neither break us nor get broken by us.
    ///
    /// The module's context answers from dependencies/ FIRST (it overrides Load, the pattern of the
    /// PowerShell docs' "Resolving PowerShell module assembly dependency conflicts"). A context that
    /// only handles Resolving gets its turn after the default context, which hands out any copy it
    /// already holds that is at least as new as the one asked for: with Azure.Core 1.64 and MSAL 4.92
    /// loaded first (as Cloud Shell's Az.Accounts may), the engine would be bound to those and fail on
    /// their own dependencies. Only what the runtime and PowerShell provide falls through to the
    /// default context, so types shared with PowerShell (System.*) stay the same types.
    /// </summary>
    internal static class DependencyLoader
    {
        internal const string EngineAssemblyName = "Dropzone.ExoSetup.Engine";
        internal const string ContextName = "Dropzone.ExoSetup";

        private static readonly object Gate = new object();
        private static ModuleLoadContext _context;
        private static bool _registered;

        internal static string DependencyDirectory { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "dependencies");

        internal static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                _context ??= new ModuleLoadContext(DependencyDirectory);
                // The cmdlet assembly lives in the default context and names the engine: only that
                // one name is answered there, by loading the engine into the module's context.
                AssemblyLoadContext.Default.Resolving += OnDefaultContextResolving;
                _registered = true;
            }
        }

        internal static void Unregister()
        {
            lock (Gate)
            {
                AssemblyLoadContext.Default.Resolving -= OnDefaultContextResolving;
                _registered = false;
            }
        }

        private static Assembly OnDefaultContextResolving(AssemblyLoadContext context, AssemblyName name) =>
            string.Equals(name.Name, EngineAssemblyName, StringComparison.OrdinalIgnoreCase)
                ? _context.LoadFromAssemblyName(name)
                : null;

        private sealed class ModuleLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;
            private readonly string _runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);

            public ModuleLoadContext(string directory) : base(ContextName, isCollectible: false) => _directory = directory;

            protected override Assembly Load(AssemblyName name)
            {
                // What the runtime itself provides is never taken from dependencies/ (build.ps1 keeps
                // such polyfills out, this makes sure): its types must be the ones PowerShell uses.
                if (name.Name == null || File.Exists(Path.Combine(_runtimeDirectory, name.Name + ".dll"))) return null;
                var path = Path.Combine(_directory, name.Name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}
