using System.Management.Automation;

namespace Dropzone.ExoSetup
{
    /// <summary>Runs when PowerShell imports the module: wire the dependency loader before any cmdlet runs.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyLoader.Register();

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            GraphSessions.DisconnectAll();
            DependencyLoader.Unregister();
        }
    }
}
