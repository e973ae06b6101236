import ArgumentParser
print("idc")
