// The feature namespaces of the generated task types (specs/inference/tasks.json "groups"), for the hand-written
// code of this project only: global usings do not flow to the library's users, who add the ones they need.
global using HuggingFace.Inference.Audio;
global using HuggingFace.Inference.Chat;
global using HuggingFace.Inference.Multimodal;
global using HuggingFace.Inference.Tabular;
global using HuggingFace.Inference.Text;
global using HuggingFace.Inference.Vision;
