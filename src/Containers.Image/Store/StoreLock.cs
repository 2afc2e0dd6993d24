namespace Containers.Image;

/// <summary>An exclusive lock on the store's metadata (flock through FileShare.None), across threads and processes.</summary>
internal static class StoreLock
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    public static IDisposable Acquire(string lockPath, TimeSpan timeout)
    {
        if (!InProcess.Wait(timeout))
        {
            throw new TimeoutException($"lock {lockPath}: held by another thread for more than {timeout.TotalSeconds:0}s");
        }

        var deadline = DateTime.UtcNow + timeout;
        int delay = 5;
        while (true)
        {
            try
            {
                var file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new Holder(file);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 200);
            }
            catch
            {
                InProcess.Release();
                throw;
            }
        }
    }

    private sealed class Holder(FileStream file) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            InProcess.Release();
        }
    }
}
