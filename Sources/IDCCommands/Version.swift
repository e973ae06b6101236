/// idc's version, shown by `idc --version` and in the Jupyter kernel's `kernel_info`.
public enum IDCVersion {
  public static let current = "0.9.0"
}
