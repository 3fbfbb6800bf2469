using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Diagnostics;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// The log of engine work that runs on the pipeline thread (the Exchange steps, which invoke
    /// PowerShell commands): it writes straight to the cmdlet's streams.
    /// </summary>
    internal sealed class DirectLog : IOperationLog
    {
        private readonly Cmdlet _cmdlet;

        public DirectLog(Cmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        public void Verbose(string message) => _cmdlet.WriteVerbose(message);
        public void Debug(string message) => _cmdlet.WriteDebug(message);
        public void Warning(string message) => _cmdlet.WriteWarning(message);
        public void Progress(OperationProgress progress) => _cmdlet.WriteProgress(PipelineLog.ToRecord(progress));
    }
}
