using System.Threading.Tasks;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// A value one half of a run makes known to the other while both run: Install's Exchange steps
    /// need the service principal's object id, which Entra ID has already or is creating. The first
    /// <see cref="Known"/> wins; a null one means none will come (its creation failed or was declined).
    /// </summary>
    public sealed class StepInput<T>
    {
        private readonly TaskCompletionSource<T> _value = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Known(T value) => _value.TrySetResult(value);

        public bool IsKnown => _value.Task.IsCompleted;

        /// <summary>The value, waiting on the caller's thread (writing the reports of the work in flight) until it is known.</summary>
        public T Wait(IStepHost host) => IsKnown ? _value.Task.Result : host.Await(_value.Task);
    }
}
