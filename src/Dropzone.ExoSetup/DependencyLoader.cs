using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// Loads the engine and everything it depends on (Microsoft.Graph, Azure.Identity, MSAL, Kiota,
    /// IdentityModel) from dependencies/ into a load context owned by this module, so that other
    /// versions of the same assemblies already loaded by Microsoft.Graph PowerShell or
    /// ExchangeOnlineManagement neither break us nor get broken by us.
    ///
    /// This assembly targets netstandard2.0 and cannot name AssemblyLoadContext, so the context is
    /// created and wired by reflection. Only the engine is answered from the default context's
    /// AssemblyResolve; the rest resolve through the module context's Resolving event, which runs
    /// after the default context (and so the runtime's own System.* assemblies) had its chance.
    /// </summary>
    internal static class DependencyLoader
    {
        internal const string EngineAssemblyName = "Dropzone.ExoSetup.Engine";
        internal const string ContextName = "Dropzone.ExoSetup";

        private static readonly object Gate = new object();
        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        private static object _context;
        private static MethodInfo _loadFromAssemblyPath;
        private static bool _registered;

        internal static string DependencyDirectory { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "dependencies");

        internal static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                if (_context == null) _context = CreateContext();
                AppDomain.CurrentDomain.AssemblyResolve += OnDefaultContextResolve;
                _registered = true;
            }
        }

        internal static void Unregister()
        {
            lock (Gate)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= OnDefaultContextResolve;
                _registered = false;
            }
        }

        private static object CreateContext()
        {
            var contextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false)
                ?? throw new PlatformNotSupportedException("Dropzone.ExoSetup needs PowerShell 7.4 or later.");
            var context = Activator.CreateInstance(contextType, ContextName, false);
            _loadFromAssemblyPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });

            var resolving = contextType.GetEvent("Resolving");
            var handler = Delegate.CreateDelegate(resolving.EventHandlerType,
                typeof(DependencyLoader).GetMethod(nameof(OnModuleContextResolving), BindingFlags.NonPublic | BindingFlags.Static));
            resolving.AddEventHandler(context, handler);
            return context;
        }

        private static Assembly OnDefaultContextResolve(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            return string.Equals(name.Name, EngineAssemblyName, StringComparison.OrdinalIgnoreCase) ? LoadIntoModuleContext(name) : null;
        }

        // Bound by reflection to Func<AssemblyLoadContext, AssemblyName, Assembly>.
        private static Assembly OnModuleContextResolving(object context, AssemblyName name) => LoadIntoModuleContext(name);

        private static Assembly LoadIntoModuleContext(AssemblyName name)
        {
            lock (Gate)
            {
                if (Loaded.TryGetValue(name.Name, out var existing)) return existing;
                var path = Path.Combine(DependencyDirectory, name.Name + ".dll");
                if (!File.Exists(path)) return null;
                var assembly = (Assembly)_loadFromAssemblyPath.Invoke(_context, new object[] { path });
                Loaded[name.Name] = assembly;
                return assembly;
            }
        }
    }
}
