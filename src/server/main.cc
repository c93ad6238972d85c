// tessera-server entry point.
int main() { return 0; }
