using FASTER.core;

namespace MesFast.Storage;

/// <summary>
/// FASTER's local named-device factory (checkpoint files: index, log metadata) with <see cref="ThreadedFileDevice"/>
/// devices, so checkpoint writes leave the thread pool alone too. Listing and deletion are FASTER's own.
/// </summary>
public sealed class ThreadedFileDeviceFactory(bool backgroundWrites = false) : INamedDeviceFactory
{
    private readonly LocalStorageNamedDeviceFactory _local = new();
    private string _baseName = "";

    public void Initialize(string baseName)
    {
        _baseName = baseName;
        _local.Initialize(baseName);
    }

    public IDevice Get(FileDescriptor fileInfo) =>
        new ThreadedFileDevice(Path.Combine(_baseName, fileInfo.directoryName, fileInfo.fileName), backgroundWrites);

    public IEnumerable<FileDescriptor> ListContents(string path) => _local.ListContents(path);

    public void Delete(FileDescriptor fileInfo) => _local.Delete(fileInfo);
}
